package keystore

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"claudemedic/appdirs"
)

// The program apiKeyHelper names must outlive the folder it was built in:
// Claude Code runs it on every start, long after `scripts/run.sh` built
// <clone>/bin/claudemedic, and a clone moved or deleted would silently break
// its sign-in. So a claudemedic in a build folder (a folder whose parent
// holds Claude Medic's go.mod) is never named: the installed one is (the
// package's /usr/bin/claudemedic, or ~/.local/bin's after `make
// user-install`, or /usr/local/bin's), and with none installed, a copy of
// this build kept in Claude Medic's own data folder, which no build replaces.

// installedHelper is the claudemedic apiKeyHelper names instead of exe.
func installedHelper(exe string) (string, error) {
	if !inBuildFolder(exe) {
		return exe, nil
	}
	name := filepath.Base(exe)
	var candidates []string
	if home, err := os.UserHomeDir(); err == nil {
		candidates = append(candidates, filepath.Join(home, ".local", "bin", name))
	}
	if runtime.GOOS != "windows" {
		candidates = append(candidates, "/usr/bin/"+name, "/usr/local/bin/"+name)
	}
	for _, c := range candidates {
		if fi, err := os.Stat(c); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return c, nil
		}
	}
	return keptCopy(exe)
}

// inBuildFolder reports whether exe sits in a build folder of a clone:
// <clone>/bin/claudemedic, <clone>/claudemedic, beside Claude Medic's go.mod.
func inBuildFolder(exe string) bool {
	for _, dir := range []string{filepath.Dir(exe), filepath.Dir(filepath.Dir(exe))} {
		mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && bytes.HasPrefix(bytes.TrimSpace(mod), []byte("module claudemedic")) {
			return true
		}
	}
	return false
}

// keptCopy copies exe into Claude Medic's data folder (bin/), replacing an
// older copy, and returns the copy's path.
func keptCopy(exe string) (string, error) {
	bin, err := appdirs.DataDir("bin")
	if err != nil {
		return "", err
	}
	dst := filepath.Join(bin, filepath.Base(exe))
	src, err := os.Open(exe)
	if err != nil {
		return "", fmt.Errorf("copying %s for apiKeyHelper: %w", exe, err)
	}
	defer src.Close()
	tmp, err := os.CreateTemp(bin, ".claudemedic-*")
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(tmp, src); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return "", fmt.Errorf("copying %s for apiKeyHelper: %w", exe, err)
	}
	tmp.Chmod(0o755)
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return "", err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("keeping a copy of claudemedic for apiKeyHelper: %w", err)
	}
	return dst, nil
}
