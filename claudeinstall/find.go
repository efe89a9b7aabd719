// Package claudeinstall finds the Claude Code installed on this machine the
// way a shell would, reads its version, tells an npm install from the native
// installer's, compares it with the latest version published on the npm
// registry npm would use (through the same proxy and trust as the checks,
// cached for a day), and runs the right update. It knows nothing of widgets
// and prints nothing: the front ends render its Result.
package claudeinstall

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Method is how a Claude Code was installed, which says how it is updated.
type Method string

// The ways Claude Code is installed.
const (
	MethodNPM    Method = "npm"    // npm install -g @anthropic-ai/claude-code
	MethodNative Method = "native" // the native installer: ~/.local/bin/claude -> ~/.local/share/claude/versions/…
	MethodLocal  Method = "local"  // Claude Code's own local install under ~/.claude/local (claude migrate-installer)
	MethodOther  Method = "other"  // anything else: a distribution's package, Homebrew, a copy
)

// Package is the npm package of Claude Code.
const Package = "@anthropic-ai/claude-code"

// Install is one Claude Code found on this machine.
type Install struct {
	Path     string // where it was found: a PATH entry or a known location
	Resolved string // Path with its symbolic links followed
	Method   Method
	OnPath   bool   // a shell finds it by the name claude (its folder is on the PATH)
	Version  string // "" when it did not say
	Err      error  // why the version could not be read
	root     string // the install's own folder, to tell two installs from two links to one
}

// NPMProject is the folder of the npm project an npm install belongs to when
// it is not npm's global one (npm install in a folder, not npm install -g),
// "" otherwise: its update runs npm install --prefix there.
func (in Install) NPMProject() string {
	if in.Method != MethodNPM || in.root == "" {
		return ""
	}
	project := filepath.Dir(filepath.Dir(filepath.Dir(filepath.Clean(in.root)))) // <project>/node_modules/@anthropic-ai/claude-code
	base := filepath.Base(project)
	if base == "lib" || runtime.GOOS == "windows" && strings.EqualFold(base, "npm") {
		return "" // <prefix>/lib/node_modules: npm's global folder
	}
	return project
}

// Env is the environment a shell would run claude in.
type Env struct {
	PATH string
	Home string
	Vars map[string]string // the rest of the environment (npm_config_registry, NPM_CONFIG_PREFIX, NVM_DIR…)
}

// EnvFrom reads an Env from environ (KEY=value lines, as os.Environ gives).
func EnvFrom(environ []string) Env {
	e := Env{Vars: map[string]string{}}
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			e.Vars[k] = v
		}
	}
	e.PATH, e.Home = e.Vars["PATH"], e.Vars["HOME"]
	if runtime.GOOS == "windows" {
		if e.PATH == "" {
			e.PATH = e.Vars["Path"]
		}
		if e.Home == "" {
			e.Home = e.Vars["USERPROFILE"]
		}
	}
	return e
}

// get reads a variable, case-insensitively as npm reads its own.
func (e Env) get(name string) string {
	if v, ok := e.Vars[name]; ok {
		return v
	}
	for k, v := range e.Vars {
		if strings.EqualFold(k, name) {
			return v
		}
	}
	return ""
}

// environ is the environment claude and npm run with: Vars with PATH and HOME.
func (e Env) environ() []string {
	out := make([]string, 0, len(e.Vars)+2)
	for k, v := range e.Vars {
		if k != "PATH" && k != "HOME" {
			out = append(out, k+"="+v)
		}
	}
	return append(out, "PATH="+e.PATH, "HOME="+e.Home)
}

// names are the file names a shell runs for `claude`.
func names() []string {
	if runtime.GOOS == "windows" {
		return []string{"claude.exe", "claude.cmd"}
	}
	return []string{"claude"}
}

// find lists the installs: those on the PATH first, in PATH order (the first
// is the one a shell runs), then those in the native installer's and npm's
// usual places that the PATH misses. npmPrefix is npm's global prefix ("" unknown).
func find(env Env, npmPrefix string) []Install {
	var out []Install
	seen := map[string]bool{}
	add := func(path string, onPath bool) {
		resolved, ok := executable(path)
		if !ok {
			return
		}
		m, root := classify(path, resolved, env.Home)
		if seen[root] {
			return
		}
		seen[root] = true
		out = append(out, Install{Path: path, Resolved: resolved, Method: m, OnPath: onPath, root: root})
	}
	for _, dir := range filepath.SplitList(env.PATH) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue // a shell would search the current folder: Claude Medic does not guess it
		}
		for _, n := range names() {
			add(filepath.Join(dir, n), true)
		}
	}
	for _, dir := range knownDirs(env, npmPrefix) {
		for _, n := range names() {
			add(filepath.Join(dir, n), false)
		}
	}
	return out
}

// knownDirs are the folders installs land in when the PATH misses them.
func knownDirs(env Env, npmPrefix string) []string {
	var dirs []string
	if env.Home != "" {
		dirs = append(dirs, filepath.Join(env.Home, ".local", "bin"), filepath.Join(env.Home, ".claude", "local"))
	}
	for _, p := range []string{env.get("npm_config_prefix"), npmPrefix} {
		if p != "" {
			dirs = append(dirs, npmBin(p))
		}
	}
	if env.Home != "" {
		dirs = append(dirs, npmBin(filepath.Join(env.Home, ".npm-global")))
	}
	nvm := env.get("NVM_DIR")
	if nvm == "" && env.Home != "" {
		nvm = filepath.Join(env.Home, ".nvm")
	}
	if nvm != "" {
		if vs, err := filepath.Glob(filepath.Join(nvm, "versions", "node", "*", "bin")); err == nil {
			dirs = append(dirs, vs...)
		}
	}
	return dirs
}

// npmBin is where npm links global commands under prefix.
func npmBin(prefix string) string {
	if runtime.GOOS == "windows" {
		return prefix
	}
	return filepath.Join(prefix, "bin")
}

// executable follows path's links and reports whether it is a file a shell runs.
func executable(path string) (string, bool) {
	resolved, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", false
	}
	info, err := os.Stat(resolved)
	if err != nil || !info.Mode().IsRegular() {
		return "", false
	}
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o111 == 0 {
		return "", false
	}
	return resolved, true
}

// classify tells how the claude at path (resolved) was installed, and the
// install's own folder.
func classify(path, resolved, home string) (Method, string) {
	slash := filepath.ToSlash(resolved)
	if home != "" {
		local := filepath.Join(home, ".claude", "local")
		if within(path, local) || within(resolved, local) {
			return MethodLocal, local
		}
	}
	const pkg = "/node_modules/" + Package + "/"
	if i := strings.LastIndex(slash, pkg); i >= 0 {
		return MethodNPM, filepath.FromSlash(slash[:i+len(pkg)])
	}
	if home != "" {
		data := filepath.Join(home, ".local", "share", "claude")
		if within(resolved, data) || path == filepath.Join(home, ".local", "bin", "claude") {
			return MethodNative, data
		}
	}
	return MethodOther, resolved
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// identity is what says a file changed: its size and modification time.
func identity(path string) (int64, int64, bool) {
	info, err := os.Stat(path)
	if err != nil {
		return 0, 0, false
	}
	return info.Size(), info.ModTime().UnixNano(), true
}
