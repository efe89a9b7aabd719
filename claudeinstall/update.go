package claudeinstall

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// UpdateTimeout bounds an update.
const UpdateTimeout = 10 * time.Minute

// ErrCannotUpdate is returned for an install Claude Medic does not know how to update.
var ErrCannotUpdate = errors.New("Claude Medic does not know how this Claude Code was installed")

// UpdateCommand is the command that updates in: `claude update` for the
// native and local installs, npm install -g for a global npm one (npm install
// --prefix DIR for one installed in a project folder), with the npm beside it
// (as nvm and npm's prefix put them), else the one on env's PATH.
func UpdateCommand(in Install, env Env) ([]string, error) {
	switch in.Method {
	case MethodNative, MethodLocal:
		return []string{in.Path, "update"}, nil
	case MethodNPM:
		npm := lookPath("npm", filepath.Dir(in.Path))
		if npm == "" {
			npm = lookPath("npm", env.PATH)
		}
		if npm == "" {
			npm = "npm"
		}
		if project := in.NPMProject(); project != "" {
			return []string{npm, "install", "--prefix", project, Package + "@latest"}, nil
		}
		return []string{npm, "install", "-g", Package + "@latest"}, nil
	}
	return nil, fmt.Errorf("%w (%s): update it the way it was installed, e.g. your distribution's package manager or brew upgrade claude-code", ErrCannotUpdate, in.Path)
}

// commandLine shows argv as a person types it.
func commandLine(argv []string) string {
	if len(argv) > 0 && filepath.IsAbs(argv[0]) {
		argv = append([]string{filepath.Base(argv[0])}, argv[1:]...)
	}
	return strings.Join(argv, " ")
}

// Update runs the update of in, its output going to out as it comes, within
// UpdateTimeout. Look the version up again afterwards (Options.Refresh).
func Update(ctx context.Context, in Install, env Env, out io.Writer) error {
	argv, err := UpdateCommand(in, env)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, UpdateTimeout)
	defer cancel()
	fmt.Fprintf(out, "$ %s\n", strings.Join(argv, " "))
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = env.environ()
	cmd.Stdout, cmd.Stderr = out, out
	ownGroup(cmd)
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("%s did not finish within %s", commandLine(argv), UpdateTimeout)
		}
		return fmt.Errorf("%s failed: %w", commandLine(argv), err)
	}
	return nil
}
