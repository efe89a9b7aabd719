package doctor

import (
	"context"

	"claudemedic/claudecfg"
	"claudemedic/claudeinstall"
	"claudemedic/claudesettings"
	"claudemedic/internal/prefs"
	"claudemedic/internal/state"
	"claudemedic/netcheck"
)

// ClaudeCodeOptions are the look-up of Claude Code's own install
// (claudeinstall) for what src resolves: the PATH a shell has (the login
// shell's, for an app started from the desktop, whose own PATH may lack
// ~/.local/bin), the state folder's cache, the target's proxy and CA for the
// registry, and the preference that turns the registry off. It is the one
// place the command line, the tray's check child and the window set it up.
func ClaudeCodeOptions(ctx context.Context, src claudecfg.ResolveOptions, t claudesettings.Target, refresh bool) claudeinstall.Options {
	p, _ := prefs.Load() // broken preferences give the defaults, which ask the registry
	dir, _ := state.Dir()
	env := claudeinstall.StateEnv()
	if src.LoginShell {
		if s, err := claudecfg.Inspect(ctx, claudecfg.ResolveOptions{LoginShell: true, Environ: src.Environ}); err == nil && s.Var("PATH").Set() {
			env.PATH = s.Var("PATH").Value // the login shell's is cached for a minute
		}
	}
	return claudeinstall.Options{Env: env, CacheDir: dir, Target: t, NoUpdateCheck: p.NoUpdateCheck, Refresh: refresh}
}

// claudeCodeBeside is Doctor.ClaudeCode over the real look-up for src.
func claudeCodeBeside(src claudecfg.ResolveOptions) func(ctx context.Context, t claudesettings.Target) func(*netcheck.Report) {
	return func(ctx context.Context, t claudesettings.Target) func(*netcheck.Report) {
		return claudeinstall.Beside(ctx, ClaudeCodeOptions(ctx, src, t, false))
	}
}
