package claudecfg

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"claudemedic/claudesettings"
)

// ProxyEdits save proxy in a settings env as Claude Code reads it: under
// https_proxy, the first of ProxyVars it reads. A settings env overrides
// only the variable of the same name, so an HTTPS_PROXY saved there loses to
// a lower-case https_proxy from the shell (measured with Claude Code
// 2.1.330); an https_proxy saved there wins over it. The file's HTTPS_PROXY,
// the same setting in its other spelling (what earlier versions wrote), is
// removed, so the file holds one proxy. proxy "" removes every spelling of
// ProxyVars from the file. NO_PROXY is set too when noProxy is not nil. Check
// the URL with CheckProxyURL and the proxy itself first (doctor.SetProxy
// tests it against the API); Settings.Shadows says when a setting elsewhere
// still wins.
func ProxyEdits(proxy string, noProxy *string) []Edit {
	var edits []Edit
	if proxy == "" {
		for _, name := range claudesettings.ProxyVars {
			edits = append(edits, EnvEdit(name, ""))
		}
	} else {
		edits = []Edit{EnvEdit(claudesettings.ProxyVar, proxy), EnvEdit(claudesettings.VarHTTPSProxy, "")}
	}
	if noProxy != nil {
		edits = append(edits, EnvEdit(claudesettings.VarNoProxy, *noProxy))
	}
	return edits
}

// SetCA sets NODE_EXTRA_CA_CERTS in the settings file to caPath's absolute
// path, only after InspectCA finds a CA certificate in it; caPath "" removes
// it. Remember ProfileLine: some Claude Code versions ignore it in settings.
func SetCA(file, caPath string) (*Change, CAFile, error) {
	if caPath == "" {
		c, err := EditFile(file, EnvEdit(claudesettings.VarExtraCACerts, ""))
		return c, CAFile{}, err
	}
	ca, err := InspectCA(caPath)
	if err != nil {
		return nil, ca, err
	}
	c, err := EditFile(file, EnvEdit(claudesettings.VarExtraCACerts, ca.Path))
	return c, ca, err
}

// CAFile is a PEM file checked for NODE_EXTRA_CA_CERTS.
type CAFile struct {
	Path     string    // absolute
	CAs      []string  // the subjects of its CA certificates
	Others   int       // certificates in it that are not CAs
	NotAfter time.Time // when the first CA to expire expires
}

// Errors of InspectCA.
var (
	ErrNotPEM = errors.New("the file is not PEM text (-----BEGIN CERTIFICATE-----)")
	ErrNoCA   = errors.New("the file holds no CA certificate")
)

// InspectCA checks that path is a PEM file holding at least one CA
// certificate that is valid now, as NODE_EXTRA_CA_CERTS needs.
func InspectCA(path string) (CAFile, error) {
	abs, err := filepath.Abs(expandHome(path))
	if err != nil {
		return CAFile{}, err
	}
	ca := CAFile{Path: abs}
	fi, err := os.Stat(abs)
	if err != nil {
		return ca, fmt.Errorf("reading the CA file: %w", err)
	}
	if fi.IsDir() {
		return ca, fmt.Errorf("%s is a folder: name the certificate file inside it", abs)
	}
	if fi.Size() > 16<<20 {
		return ca, fmt.Errorf("%s is %s, too large for a certificate file", abs, HumanSize(fi.Size()))
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return ca, fmt.Errorf("reading the CA file: %w", err)
	}
	var certs []*x509.Certificate
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" && block.Type != "TRUSTED CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return ca, fmt.Errorf("%s: a certificate in it does not parse: %w", abs, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		if _, err := x509.ParseCertificate(data); err == nil {
			return ca, fmt.Errorf("%s is a binary (DER) certificate: %w; convert it with: openssl x509 -inform der -in %q -out %q", abs, ErrNotPEM, abs, strings.TrimSuffix(abs, filepath.Ext(abs))+".pem")
		}
		return ca, fmt.Errorf("%s: %w; export your company's root certificate as Base-64 (PEM)", abs, ErrNotPEM)
	}
	now := time.Now()
	var expired []string
	for _, c := range certs {
		if !c.IsCA {
			ca.Others++
			continue
		}
		if now.After(c.NotAfter) || now.Before(c.NotBefore) {
			expired = append(expired, c.Subject.String())
			continue
		}
		ca.CAs = append(ca.CAs, c.Subject.String())
		if ca.NotAfter.IsZero() || c.NotAfter.Before(ca.NotAfter) {
			ca.NotAfter = c.NotAfter
		}
	}
	switch {
	case len(ca.CAs) > 0:
		return ca, nil
	case len(expired) > 0:
		return ca, fmt.Errorf("%s: %w that is valid now (%s expired or is not yet valid)", abs, ErrNoCA, strings.Join(expired, "; "))
	}
	return ca, fmt.Errorf("%s: %w: it holds a server certificate (%s); export the root CA that issued it instead", abs, ErrNoCA, certs[0].Subject.String())
}

// ProfileLine is the line that sets NODE_EXTRA_CA_CERTS in the person's
// shell profile (some Claude Code versions ignore it in a settings env), and
// the file it goes in.
func ProfileLine(shell, caPath string) (file, line string) {
	switch base := filepath.Base(shell); {
	case runtime.GOOS == "windows":
		return "a Command Prompt (once)", fmt.Sprintf(`setx NODE_EXTRA_CA_CERTS "%s"`, caPath)
	case base == "zsh":
		return "~/.zshrc", fmt.Sprintf("export NODE_EXTRA_CA_CERTS=%s", ShellQuote(caPath))
	case base == "fish":
		return "~/.config/fish/config.fish", fmt.Sprintf("set -gx NODE_EXTRA_CA_CERTS %s", ShellQuote(caPath))
	case base == "bash":
		return "~/.bashrc", fmt.Sprintf("export NODE_EXTRA_CA_CERTS=%s", ShellQuote(caPath))
	case base == "csh" || base == "tcsh":
		return "~/.cshrc", fmt.Sprintf("setenv NODE_EXTRA_CA_CERTS %s", ShellQuote(caPath))
	}
	return "~/.profile", fmt.Sprintf("export NODE_EXTRA_CA_CERTS=%s", ShellQuote(caPath))
}
