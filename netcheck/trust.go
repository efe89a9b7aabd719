package netcheck

import (
	"bytes"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"

	"claudemedic/claudesettings"

	"golang.org/x/crypto/x509roots/fallback/bundle"
)

// The certificate stores Claude Code can trust, as CLAUDE_CODE_CERT_STORE names them.
const (
	storeBundled = "bundled" // the Mozilla roots bundled with Claude Code
	storeSystem  = "system"  // the operating system's store
)

// trust is what Claude Code would trust for its TLS connections: the stores
// it picks and the certificates NODE_EXTRA_CA_CERTS adds to them.
type trust struct {
	stores  []string            // storeBundled, storeSystem, in Claude Code's order
	why     claudesettings.Text // what picked the stores
	pool    *x509.CertPool      // the stores plus the extra certificates
	extra   []*x509.Certificate
	caPath  string              // NODE_EXTRA_CA_CERTS, "" when unset
	ignored claudesettings.Text // why (part of) the CA file was ignored; empty when it was used whole
	problem Finding             // CA_FILE_INVALID, when the file cannot be used whole
}

// certStores returns the stores Claude Code 2.1.330 trusts and why, as its
// own code picks them: CLAUDE_CODE_CERT_STORE, a comma-separated list of
// "bundled" and "system" (unknown entries ignored; none known means the
// default); else NODE_OPTIONS holding --use-system-ca or --use-openssl-ca,
// the system store alone; else both.
func certStores(t claudesettings.Target) ([]string, claudesettings.Text) {
	if v := t.CertStore.Value; v != "" {
		var stores, unknown []string
		for _, e := range strings.Split(v, ",") {
			e = strings.ToLower(strings.TrimSpace(e))
			switch {
			case e == storeBundled || e == storeSystem:
				if !slices.Contains(stores, e) {
					stores = append(stores, e)
				}
			case e != "":
				unknown = append(unknown, e)
			}
		}
		if len(stores) > 0 {
			why := claudesettings.Text{EN: "CLAUDE_CODE_CERT_STORE=" + v, ZH: "CLAUDE_CODE_CERT_STORE=" + v}
			if len(unknown) > 0 {
				why.EN += fmt.Sprintf("; Claude Code ignores %q in it", strings.Join(unknown, ","))
				why.ZH += fmt.Sprintf("；Claude Code 会忽略其中的 %q", strings.Join(unknown, ","))
			}
			return stores, why
		}
		return []string{storeBundled, storeSystem}, claudesettings.Text{EN: fmt.Sprintf("CLAUDE_CODE_CERT_STORE=%s names no store Claude Code knows (bundled, system), so it uses the default", v), ZH: fmt.Sprintf("CLAUDE_CODE_CERT_STORE=%s 中没有 Claude Code 认识的存储（bundled、system），因此使用默认值", v)}

	}
	for _, o := range strings.Fields(t.NodeOptions.Value) {
		if o == "--use-system-ca" || o == "--use-openssl-ca" {
			return []string{storeSystem}, claudesettings.Text{EN: "NODE_OPTIONS " + o, ZH: "NODE_OPTIONS " + o}
		}
	}
	return []string{storeBundled, storeSystem}, claudesettings.Text{EN: "the default", ZH: "默认设置"}
}

// storeNames says what Claude Code trusts, for a summary: "the bundled
// Mozilla roots and the OS store (the default), plus NODE_EXTRA_CA_CERTS".
func (tr trust) storeNames() claudesettings.Text {
	var en, zh []string
	for _, s := range tr.stores {
		n := storeName(s)
		en, zh = append(en, n.EN), append(zh, n.ZH)
	}
	t := claudesettings.Text{EN: strings.Join(en, " and ") + " (" + tr.why.EN + ")", ZH: strings.Join(zh, "和") + "（" + tr.why.ZH + "）"}
	if len(tr.extra) > 0 {
		t.EN += ", plus NODE_EXTRA_CA_CERTS"
		t.ZH += "，以及 NODE_EXTRA_CA_CERTS"
	}
	return t
}

func storeName(s string) claudesettings.Text {
	if s == storeBundled {
		return claudesettings.Text{EN: "the bundled Mozilla roots", ZH: "内置的 Mozilla 根证书"}
	}
	return claudesettings.Text{EN: "the OS store", ZH: "操作系统的证书存储"}
}

// trustFor builds what Claude Code would trust for target, reading
// NODE_EXTRA_CA_CERTS as it does.
func trustFor(t claudesettings.Target) trust {
	tr := trust{caPath: t.CAFile.Value}
	tr.stores, tr.why = certStores(t)
	if tr.caPath != "" {
		var why claudesettings.Text
		tr.extra, why = readCAFile(tr.caPath)
		if why.EN != "" {
			tr.ignored = why
			tr.problem = newFinding(CAFileInvalid, CheckConfig, why)
		}
	}
	tr.pool = poolFor(tr.stores, slices.DeleteFunc(slices.Clone(tr.extra), func(c *x509.Certificate) bool { return !anchor(c) }))
	return tr
}

// anchor reports whether Claude Code (OpenSSL's rules, without partial
// chains) can trust a certificate from NODE_EXTRA_CA_CERTS as an authority:
// a CA, or a self-signed certificate. A server's own certificate issued by
// someone else is not one; Go would trust it, so it is left out.
func anchor(c *x509.Certificate) bool {
	return c.IsCA || bytes.Equal(c.RawIssuer, c.RawSubject) && c.CheckSignatureFrom(c) == nil
}

// maxCAFile is the largest NODE_EXTRA_CA_CERTS file read.
const maxCAFile = 16 << 20

// readCAFile reads a NODE_EXTRA_CA_CERTS file as Claude Code does: the
// PEM blocks "BEGIN CERTIFICATE" (or "BEGIN X509 CERTIFICATE") that parse.
// why says, in a sentence, what Claude Code ignores and why; it is empty
// when the file is used whole. Claude Code 2.1.330 ignores a missing file
// with only the runtime's one-line warning, and a DER file with its own
// message too, then goes on (measured: scripts/compare-route.sh).
func readCAFile(path string) (certs []*x509.Certificate, why claudesettings.Text) {
	say := func(en, zh string, a ...any) claudesettings.Text {
		return claudesettings.Text{EN: fmt.Sprintf("NODE_EXTRA_CA_CERTS names %s, ", path) + fmt.Sprintf(en, a...), ZH: fmt.Sprintf("NODE_EXTRA_CA_CERTS 指向的 %s ", path) + fmt.Sprintf(zh, a...)}

	}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, say("which does not exist: Claude Code ignores it, with no more than a start-up line (\"Warning: Ignoring extra certs from …, load failed\") that is easy to miss.",
			"不存在：Claude Code 会忽略它，只在启动时打印一行容易被忽略的提示（“Warning: Ignoring extra certs from …, load failed”）。")
	case err != nil:
		return nil, say("which cannot be read (%v): Claude Code ignores it.", "无法读取（%v）：Claude Code 会忽略它。", unwrapPath(err))
	case fi.IsDir():
		return nil, say("which is a folder, not a file: name the certificate file inside it. Claude Code ignores it.", "是文件夹而不是文件：请指定其中的证书文件。Claude Code 会忽略它。")
	case fi.Size() > maxCAFile:
		return nil, say("which is %d MB, far too large for a certificate file: Claude Code ignores it.", "有 %d MB，作为证书文件太大了：Claude Code 会忽略它。", fi.Size()>>20)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, say("which cannot be read (%v): Claude Code ignores it.", "无法读取（%v）：Claude Code 会忽略它。", unwrapPath(err))
	}
	key := sha256.Sum256(append([]byte(path+"\x00"), data...))
	lastCAFile.Lock()
	defer lastCAFile.Unlock()
	if lastCAFile.key != key {
		c, w := parseCAFile(path, data, say)
		lastCAFile.key, lastCAFile.certs, lastCAFile.why = key, c, w
	}
	return lastCAFile.certs, lastCAFile.why
}

// The last NODE_EXTRA_CA_CERTS file read, by its path and content: parsing
// and verifying its certificates took about a quarter of a healthy run on
// loopback, and the tray reads the same file again and again.
var lastCAFile struct {
	sync.Mutex
	key   [sha256.Size]byte
	certs []*x509.Certificate
	why   claudesettings.Text
}

// parseCAFile is readCAFile's reading of the file's content.
func parseCAFile(path string, data []byte, say func(en, zh string, a ...any) claudesettings.Text) (certs []*x509.Certificate, why claudesettings.Text) {
	var damaged, keys int
	for rest := data; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		switch {
		case b.Type == "CERTIFICATE" || b.Type == "X509 CERTIFICATE":
			if c, err := x509.ParseCertificate(b.Bytes); err == nil {
				certs = append(certs, c)
			} else {
				damaged++
			}
		case strings.HasSuffix(b.Type, "PRIVATE KEY"):
			keys++
		}
	}
	switch {
	case len(certs) == 0 && len(bytes.TrimSpace(data)) == 0:
		return nil, say("which is empty: Claude Code ignores it.", "是空文件：Claude Code 会忽略它。")
	case len(certs) == 0 && isDER(data):
		return nil, say("which is a binary (DER) certificate; Claude Code reads only PEM text and ignores it. Convert it: openssl x509 -inform der -in %s -out ca.pem", "是二进制（DER）格式的证书；Claude Code 只读取 PEM 文本，会忽略它。请转换：openssl x509 -inform der -in %s -out ca.pem", path)
	case len(certs) == 0 && (bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff})):
		return nil, say("which is UTF-16 text; Claude Code reads only ASCII PEM text and ignores it. Save it again as plain text (UTF-8).", "是 UTF-16 文本；Claude Code 只读取 ASCII 的 PEM 文本，会忽略它。请另存为纯文本（UTF-8）。")
	case len(certs) == 0 && keys > 0:
		return nil, say("which holds a private key, not a certificate: Claude Code ignores it. Keep that key secret, and point NODE_EXTRA_CA_CERTS at your organisation's CA certificate.", "里是私钥而不是证书：Claude Code 会忽略它。请妥善保管这个私钥，并让 NODE_EXTRA_CA_CERTS 指向单位的 CA 证书。")
	case len(certs) == 0 && damaged > 0:
		return nil, say("whose certificates are cut off or damaged: Claude Code ignores it.", "里的证书被截断或已损坏：Claude Code 会忽略它。")
	case len(certs) == 0:
		return nil, say("which holds no PEM certificate (-----BEGIN CERTIFICATE-----): Claude Code ignores it.", "里没有 PEM 格式的证书（-----BEGIN CERTIFICATE-----）：Claude Code 会忽略它。")
	case damaged > 0:
		return certs, say("in which %d certificate(s) are cut off or damaged: Claude Code uses only the %d it can read.", "中有 %d 个证书被截断或已损坏：Claude Code 只使用能读取的 %d 个。", damaged, len(certs))
	}
	if !slices.ContainsFunc(certs, anchor) {
		return certs, say("which holds no CA certificate, only the certificate of %s issued by %s, which Claude Code cannot trust on its own: export the CA that issued it instead.", "里没有 CA 证书，只有 %s 的证书（由 %s 签发），Claude Code 不能单独信任它：请改为导出签发它的 CA 证书。", certName(certs[0]), issuerName(certs[0]))
	}
	return certs, claudesettings.Text{}
}

func isDER(data []byte) bool {
	_, err := x509.ParseCertificate(data)
	return err == nil
}

// bundledRoots are the bundled Mozilla roots, parsed; raw finds each by its
// DER (the system's roots on Linux reuse them: roots_linux.go).
type bundledRoots struct {
	roots []bundle.Root
	certs []*x509.Certificate
	raw   map[string]*x509.Certificate
}

var (
	bundledOnce sync.Once
	bundledSet  bundledRoots
)

// bundled parses the bundled Mozilla roots once. It is a function, not a
// package variable holding sync.OnceValue's closure: a variable's
// initialiser keeps the bundle and x509's parser linked into every program
// that imports netcheck, the tray agent too, which runs no check.
func bundled() bundledRoots {
	bundledOnce.Do(func() {
		b := bundledRoots{raw: map[string]*x509.Certificate{}}
		for r := range bundle.Roots() {
			c, err := x509.ParseCertificate(r.Certificate)
			if err != nil {
				continue
			}
			b.roots, b.certs = append(b.roots, r), append(b.certs, c)
			b.raw[string(c.Raw)] = c
		}
		bundledSet = b
	})
	return bundledSet
}

// systemPool, when a test sets it, stands in for the OS store (Go reads the
// system store once per process); nil means systemRoots, roots_linux.go's.
// Nil by default for the same reason bundled is a function.
var systemPool func() (*x509.CertPool, error)

// The last pool built, by its stores and extra certificates: copying the
// system pool costs more than a loopback request, and the tray checks the
// same settings again and again.
var lastPool struct {
	sync.Mutex
	key  [sha256.Size]byte
	pool *x509.CertPool
}

// poolFor returns the roots of stores plus the extra certificates, as
// Claude Code adds NODE_EXTRA_CA_CERTS to its stores, from a cache of one.
func poolFor(stores []string, extra []*x509.Certificate) *x509.CertPool {
	h := sha256.New()
	fmt.Fprintln(h, stores)
	for _, c := range extra {
		h.Write(c.Raw)
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	lastPool.Lock()
	defer lastPool.Unlock()
	if lastPool.pool == nil || lastPool.key != key {
		lastPool.key, lastPool.pool = key, buildPool(stores, extra)
	}
	return lastPool.pool
}

func buildPool(stores []string, extra []*x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	if slices.Contains(stores, storeSystem) {
		load := systemPool
		if load == nil {
			load = systemRoots
		}
		if sp, err := load(); err == nil && sp != nil {
			p = sp
		}
	}
	if slices.Contains(stores, storeBundled) {
		b := bundled()
		for i, r := range b.roots {
			if r.Constraint == nil {
				p.AddCert(b.certs[i])
			} else {
				p.AddCertWithConstraint(b.certs[i], r.Constraint)
			}
		}
	}
	for _, c := range extra {
		p.AddCert(c)
	}
	return p
}

// rootStore names the store a verified chain's root came from.
func (tr trust) rootStore(root *x509.Certificate) claudesettings.Text {
	switch {
	case slices.ContainsFunc(tr.extra, root.Equal):
		return claudesettings.Text{EN: "NODE_EXTRA_CA_CERTS", ZH: "NODE_EXTRA_CA_CERTS"}
	case slices.Contains(tr.stores, storeBundled) && bundled().raw[string(root.Raw)] != nil:
		return storeName(storeBundled)
	}
	return storeName(storeSystem)
}

// publicRoot reports whether a verified chain ends in one of Mozilla's
// public roots (the Claude API's real certificates do).
func publicRoot(chains [][]*x509.Certificate) bool {
	return slices.ContainsFunc(chains, func(ch []*x509.Certificate) bool {
		return len(ch) > 0 && bundled().raw[string(ch[len(ch)-1].Raw)] != nil
	})
}

// untrustedNote says, for a chain that does not verify, what Claude Code
// trusts here, whether a store it leaves out would have trusted the chain,
// and whether the CA file was ignored.
func (tr trust) untrustedNote(chain []*x509.Certificate, host string) claudesettings.Text {
	note := claudesettings.Text{EN: " Claude Code trusts " + tr.storeNames().EN + ".", ZH: "Claude Code 信任的是" + tr.storeNames().ZH + "。"}
	if len(chain) > 0 {
		inter := x509.NewCertPool()
		for _, c := range chain[1:] {
			inter.AddCert(c)
		}
		verifies := func(stores []string) bool {
			_, err := chain[0].Verify(x509.VerifyOptions{Roots: buildPool(stores, nil), Intermediates: inter, DNSName: host})
			return err == nil
		}
		for _, s := range []string{storeSystem, storeBundled} {
			if !slices.Contains(tr.stores, s) && verifies([]string{s}) {
				name := storeName(s)
				note.EN += fmt.Sprintf(" %s would trust it, but %s leaves it out.", upperFirst(name.EN), tr.why.EN)
				note.ZH += fmt.Sprintf("%s会信任它，但 %s 没有包含它。", name.ZH, tr.why.ZH)
			}
		}
	}
	if tr.ignored.EN != "" {
		note.EN += " " + tr.ignored.EN
		note.ZH += tr.ignored.ZH
	}
	return note
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
