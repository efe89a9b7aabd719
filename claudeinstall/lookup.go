package claudeinstall

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

// Options say where Lookup looks and what it may ask.
type Options struct {
	Env      Env                   // the environment a shell would run claude in
	CacheDir string                // where the cache lives (the state folder); "" caches nothing
	Target   claudesettings.Target // the proxy and extra CA the registry request goes through, as the checks'
	// NoUpdateCheck never asks the registry (the preference no_update_check).
	NoUpdateCheck bool
	// Refresh ignores what the cache knows (after an update, or when asked).
	Refresh bool

	Now             func() time.Time // default time.Now
	VersionTimeout  time.Duration    // bound on `claude --version`; default VersionTimeout
	RegistryTimeout time.Duration    // bound on the registry request; default RegistryTimeout
}

// Result is what Lookup found.
type Result struct {
	Installs []Install // every install found; those on the PATH first, in PATH order
	Home     string    // for showing paths as ~/…

	Registry       string // the registry asked (or that would be)
	RegistrySource string // where that came from: npm_config_registry, ~/.npmrc registry, npm's default
	Latest         string // the latest published version; "" when unknown
	LatestErr      error  // why it is unknown, when the registry was asked
	LatestAt       time.Time
	UpdateCheckOff bool // the preference turned the registry look-up off
	Fetched        bool // this look-up asked the registry (the cache did not know)
}

// Lookup finds the installs, reads their versions and the latest version,
// each from the cache when it knows: with a warm cache it starts no process
// and sends no request. It never fails: what it could not learn is in the Result.
func Lookup(ctx context.Context, o Options) *Result {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.VersionTimeout <= 0 {
		o.VersionTimeout = VersionTimeout
	}
	if o.RegistryTimeout <= 0 {
		o.RegistryTimeout = RegistryTimeout
	}
	now := o.Now()
	c := loadCache(o.CacheDir)
	if o.Refresh {
		c = &cache{Versions: map[string]cachedVersion{}, read: c.read}
	}
	r := &Result{Home: o.Env.Home, UpdateCheckOff: o.NoUpdateCheck}
	r.Installs = find(o.Env, npmPrefix(ctx, o.Env, c, now))

	versions := map[string]cachedVersion{}
	for i := range r.Installs {
		in := &r.Installs[i]
		size, mtime, _ := identity(in.Resolved)
		cv, ok := c.Versions[in.Resolved]
		fresh := ok && cv.Size == size && cv.ModTime == mtime && (cv.Error == "" || now.Sub(cv.At) < VersionErrFor)
		if !fresh {
			cv = cachedVersion{Size: size, ModTime: mtime, At: now}
			if v, err := readVersion(ctx, in.Path, o.Env, o.VersionTimeout); err != nil {
				cv.Error = err.Error()
			} else {
				cv.Version = v
			}
		}
		versions[in.Resolved] = cv
		in.Version = cv.Version
		if cv.Error != "" {
			in.Err = errors.New(cv.Error)
		}
	}
	c.Versions = versions

	r.Registry, r.RegistrySource = Registry(o.Env)
	if !o.NoUpdateCheck && len(r.Installs) > 0 {
		l := c.Latest
		if l == nil || l.Registry != r.Registry || now.Sub(l.At) >= LatestFor || now.Before(l.At) {
			l = &cachedLatest{Registry: r.Registry, At: now}
			if v, err := latestVersion(ctx, o.Target, r.Registry, o.RegistryTimeout); err != nil {
				l.Error = err.Error()
			} else {
				l.Version = v
			}
			c.Latest, r.Fetched = l, true
		}
		r.Latest, r.LatestAt = l.Version, l.At
		if l.Error != "" {
			r.LatestErr = errors.New(l.Error)
		}
	}
	_ = c.save(o.CacheDir)
	return r
}

// npmPrefix is npm's global prefix (`npm prefix -g`, bounded), from the cache
// while the same npm is installed and the day is not over; "" without npm.
func npmPrefix(ctx context.Context, env Env, c *cache, now time.Time) string {
	npm := lookPath("npm", env.PATH)
	if npm == "" {
		return ""
	}
	if p := c.NPMPrefix; p != nil && p.NPM == npm && now.Sub(p.At) < NPMPrefixFor && !now.Before(p.At) {
		return p.Prefix
	}
	out, err := run(ctx, VersionTimeout, []string{npm, "prefix", "-g"}, env.environ(), 4096)
	prefix := strings.TrimSpace(string(out))
	if err != nil || !filepath.IsAbs(prefix) || strings.Contains(prefix, "\n") {
		prefix = ""
	}
	c.NPMPrefix = &cachedPrefix{NPM: npm, Prefix: prefix, At: now}
	return prefix
}

// lookPath finds name in the folders of path, as a shell does.
func lookPath(name, path string) string {
	exts := []string{""}
	if runtime.GOOS == "windows" {
		exts = []string{".exe", ".cmd", ".bat"}
	}
	for _, dir := range filepath.SplitList(path) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue
		}
		for _, e := range exts {
			p := filepath.Join(dir, name+e)
			if _, ok := executable(p); ok {
				return p
			}
		}
	}
	return ""
}

// Running is the install a shell runs for `claude`: the first on the PATH,
// or nil when none is.
func (r *Result) Running() *Install {
	for i := range r.Installs {
		if r.Installs[i].OnPath {
			return &r.Installs[i]
		}
	}
	return nil
}

// Outdated reports whether a newer version is published than the one that runs.
func (r *Result) Outdated() bool {
	in := r.Running()
	return in != nil && in.Version != "" && r.Latest != "" && compareVersions(in.Version, r.Latest) < 0
}

// Show is a path as a person reads it: ~/… under the home folder.
func (r *Result) Show(path string) string {
	if r.Home != "" && within(path, r.Home) {
		if rel, err := filepath.Rel(r.Home, path); err == nil {
			if rel == "." {
				return "~"
			}
			return "~" + string(filepath.Separator) + rel
		}
	}
	return path
}

// describe is "~/.local/bin/claude (native 2.1.330)".
func (r *Result) describe(in Install) string {
	v := in.Version
	if v == "" {
		v = "version unknown"
	}
	return fmt.Sprintf("%s (%s %s)", r.Show(in.Path), in.Method, v)
}

func (r *Result) describeZH(in Install) string {
	v := in.Version
	if v == "" {
		v = "版本未知"
	}
	return fmt.Sprintf("%s（%s %s）", r.Show(in.Path), methodZH(in.Method), v)
}

func methodZH(m Method) string {
	switch m {
	case MethodNative:
		return "原生"
	case MethodLocal:
		return "本地"
	case MethodOther:
		return "其他"
	}
	return string(m)
}

func finding(code netcheck.Code, summary, fix claudesettings.Text) netcheck.Finding {
	e, _ := netcheck.Lookup(code)
	if fix.EN == "" {
		fix = e.Fix
	}
	return netcheck.Finding{Code: code, Severity: e.Severity, Check: netcheck.CheckVersion, Summary: summary, Fix: fix}
}

// Findings are what is wrong with the installs: none found or none on the
// PATH, two installs, a version that could not be read, a newer version out.
func (r *Result) Findings() []netcheck.Finding {
	var fs []netcheck.Finding
	run := r.Running()
	switch {
	case len(r.Installs) == 0:
		fs = append(fs, finding(netcheck.ClaudeCodeNotFound, claudesettings.Text{EN: "Claude Code is not installed where a shell would find it: not on the PATH, in ~/.local/bin, ~/.claude/local or npm's global folder.", ZH: "在 shell 会查找的位置都没有找到 Claude Code：PATH、~/.local/bin、~/.claude/local 和 npm 的全局目录中都没有。"},

			claudesettings.Text{}))
	case run == nil:
		in := r.Installs[0]
		dir := filepath.Dir(in.Path)
		fs = append(fs, finding(netcheck.ClaudeCodeNotFound, claudesettings.Text{EN: fmt.Sprintf("Claude Code is installed at %s, but %s is not on the PATH, so a shell does not find claude.", r.describe(in), r.Show(dir)), ZH: fmt.Sprintf("Claude Code 安装在 %s，但 %s 不在 PATH 中，所以 shell 找不到 claude。", r.describeZH(in), r.Show(dir))},

			claudesettings.Text{EN: fmt.Sprintf("Add the folder to your PATH in your shell profile (~/.bashrc, ~/.zshrc): export PATH=\"%s:$PATH\", then open a new terminal.", dir), ZH: fmt.Sprintf("在 shell 配置文件（~/.bashrc、~/.zshrc）中把该目录加入 PATH：export PATH=\"%s:$PATH\"，然后打开新的终端。", dir)},
		))
	}
	if len(r.Installs) >= 2 {
		var en, zh []string
		for _, in := range r.Installs {
			en, zh = append(en, r.describe(in)), append(zh, r.describeZH(in))
		}
		runs, runsZH := "none of them is on the PATH", "它们都不在 PATH 中"
		if run != nil {
			runs, runsZH = "a shell runs "+r.Show(run.Path), "shell 运行的是 "+r.Show(run.Path)
		}
		fs = append(fs, finding(netcheck.ClaudeCodeMultiple, claudesettings.Text{EN: fmt.Sprintf("%d installs of Claude Code are on this machine: %s; %s.", len(r.Installs), strings.Join(en, ", "), runs), ZH: fmt.Sprintf("本机装了 %d 份 Claude Code：%s；%s。", len(r.Installs), strings.Join(zh, "，"), runsZH)},

			claudesettings.Text{}))
	}
	if run != nil && run.Err != nil {
		fs = append(fs, finding(netcheck.ClaudeCodeVersionUnknown, claudesettings.Text{EN: fmt.Sprintf("The Claude Code a shell runs (%s) does not say its version: %v.", r.Show(run.Path), run.Err), ZH: fmt.Sprintf("shell 运行的 Claude Code（%s）没有给出版本号：%v。", r.Show(run.Path), run.Err)},

			claudesettings.Text{}))
	}
	if r.Outdated() {
		cmd, _ := UpdateCommand(*run, Env{PATH: filepath.Dir(run.Path)})
		how, howZH := "Update it the way it was installed (a distribution's package manager, or Homebrew: brew upgrade claude-code).", "请用安装它的方式更新（发行版的包管理器，或 Homebrew：brew upgrade claude-code）。"
		if cmd != nil {
			shown := commandLine(cmd)
			how = fmt.Sprintf("Run claudemedic claude-code update, which runs %s and shows its output (or run that yourself). Many connection and streaming errors are fixed in newer versions.", shown)
			howZH = fmt.Sprintf("运行 claudemedic claude-code update，它会执行 %s 并显示输出（也可以自己运行这条命令）。许多连接和流式响应错误在新版本中已修复。", shown)
		}
		fs = append(fs, finding(netcheck.ClaudeCodeOutdated, claudesettings.Text{EN: fmt.Sprintf("Claude Code %s is installed (%s, %s); %s is the latest published.", run.Version, run.Method, r.Show(run.Path), r.Latest), ZH: fmt.Sprintf("本机安装的 Claude Code 是 %s（%s，%s）；最新发布的版本是 %s。", run.Version, methodZH(run.Method), r.Show(run.Path), r.Latest)},

			claudesettings.Text{EN: how, ZH: howZH}))
	}
	return fs
}

// Summary is the version check's line: which Claude Code runs, and how it
// compares with the latest.
func (r *Result) Summary() claudesettings.Text {
	run := r.Running()
	if run == nil {
		if len(r.Installs) > 0 {
			return claudesettings.Text{EN: "Claude Code is installed, but not on the PATH.", ZH: "Claude Code 已安装，但不在 PATH 中。"}
		}
		return claudesettings.Text{EN: "Claude Code is not installed.", ZH: "没有安装 Claude Code。"}
	}
	v := run.Version
	if v == "" {
		v = "(version unknown)"
	}
	en := fmt.Sprintf("Claude Code %s (%s, %s)", v, run.Method, r.Show(run.Path))
	zh := fmt.Sprintf("Claude Code %s（%s，%s）", v, methodZH(run.Method), r.Show(run.Path))
	switch {
	case r.UpdateCheckOff:
		return claudesettings.Text{EN: en + "; the update check is off.", ZH: zh + "；已关闭更新检查。"}
	case r.LatestErr != nil:
		return claudesettings.Text{EN: fmt.Sprintf("%s; %v.", en, r.LatestErr), ZH: fmt.Sprintf("%s；无法从 %s 读取最新版本。", zh, r.Registry)}
	case r.Outdated():
		return claudesettings.Text{EN: fmt.Sprintf("%s; %s is out.", en, r.Latest), ZH: fmt.Sprintf("%s；已发布 %s。", zh, r.Latest)}
	case r.Latest != "":
		return claudesettings.Text{EN: en + ", the latest.", ZH: zh + "，已是最新版本。"}
	}
	return claudesettings.Text{EN: en + ".", ZH: zh + "。"}
}

// View is the Result as a report carries it, its findings included.
func (r *Result) View() *netcheck.ClaudeCodeView {
	v := &netcheck.ClaudeCodeView{Latest: r.Latest, Findings: r.Findings()}
	if v.Findings == nil {
		v.Findings = []netcheck.Finding{} // "findings": [] in the JSON, as the report's
	}
	run := r.Running()
	if run != nil {
		v.Path, v.Install, v.Version = run.Path, string(run.Method), run.Version
	}
	for i := range r.Installs {
		if in := &r.Installs[i]; in != run {
			v.Others = append(v.Others, r.describe(*in))
		}
	}
	return v
}

// AddTo adds the version check (its line, and the install with its
// findings) to a report; it took d.
func (r *Result) AddTo(rep *netcheck.Report, d time.Duration) {
	rep.AddAdvice(netcheck.CheckResult{ID: netcheck.CheckVersion, Status: netcheck.StatusPass, Duration: d, Summary: r.Summary()}, r.View())
}

// StateEnv is Env for the current process: its environment, and its home
// folder when HOME is unset.
func StateEnv() Env {
	e := EnvFrom(os.Environ())
	if e.Home == "" {
		e.Home, _ = os.UserHomeDir()
	}
	return e
}

// Beside starts Lookup beside a check and returns what adds its result to
// the check's report (waiting for it if it is still running), so the look-up
// costs a check no time when it is faster than the check, as with a warm cache.
func Beside(ctx context.Context, o Options) func(*netcheck.Report) {
	done := make(chan struct{})
	var r *Result
	var took time.Duration
	go func() {
		defer close(done)
		t0 := time.Now()
		r = Lookup(ctx, o)
		took = time.Since(t0)
	}()
	return func(rep *netcheck.Report) {
		<-done
		r.AddTo(rep, took)
	}
}
