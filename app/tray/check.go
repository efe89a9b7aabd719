package tray

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"claudemedic/app/prefs"
	"claudemedic/app/state"
	"claudemedic/claudecfg"
	"claudemedic/claudeinstall"
	"claudemedic/keystore"
	"claudemedic/netcheck"
)

// realCheck runs one check in a child process (`<this binary> tray
// --check-once`) and reads the report it prints. The agent itself then never
// runs the TLS, HTTP and JSON code of a check, so none of it stays resident
// all day (about 3 MB less), and whatever a check allocates dies with the
// child. The child finds the key itself: it never passes through argv.
func realCheck(ctx context.Context, stream bool) (*netcheck.Report, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("running a check: %w", err)
	}
	args := []string{"tray", "--check-once"}
	if stream {
		args = append(args, "--stream")
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	quiet(cmd)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, errors.New(strings.SplitN(msg, "\n", 2)[0])
		}
		return nil, fmt.Errorf("running a check: %w", err)
	}
	var r netcheck.Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return nil, fmt.Errorf("reading the check's report: %w", err)
	}
	return &r, nil
}

// checkOnce is the child's side of realCheck: it resolves what Claude Code
// would use on this machine (its settings, the login shell's environment, the
// key in the keychain), checks it, and prints the report as JSON (the key
// masked, as in every report).
func checkOnce(stream bool) int {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	rctx, rcancel := context.WithTimeout(ctx, 30*time.Second)
	settings, err := claudecfg.Inspect(rctx, claudecfg.ResolveOptions{LoginShell: true, Keychain: keystore.Getter(keystore.DefaultProfile), LoginKeychain: keystore.ClaudeCodeLogin})
	rcancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "reading Claude Code's settings: %v\n", err)
		return 1
	}
	target := settings.Target()
	p, _ := prefs.Load() // the agent logs a broken file; the defaults serve here
	addVersion := claudeinstall.Beside(ctx, claudeCodeOptions(settings, target, p))
	r := netcheck.Run(ctx, target, netcheck.Options{Stream: stream, Status: p.StatusPage})
	addVersion(r)
	if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
		fmt.Fprintf(os.Stderr, "writing the report: %v\n", err)
		return 1
	}
	return 0
}

// claudeCodeOptions look Claude Code up as a terminal would find it: with the
// login shell's PATH (the agent starts from the desktop, whose PATH may lack
// ~/.local/bin), the state folder's cache, and the checks' proxy and CA.
func claudeCodeOptions(s *claudecfg.Settings, target netcheck.Target, p prefs.Prefs) claudeinstall.Options {
	env := claudeinstall.StateEnv()
	if v := s.Var("PATH"); v.Set() {
		env.PATH = v.Value
	}
	dir, _ := state.Dir()
	return claudeinstall.Options{Env: env, CacheDir: dir, Target: target, NoUpdateCheck: p.NoUpdateCheck}
}
