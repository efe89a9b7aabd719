package tray

import (
	"context"
	"os/exec"
	"time"

	"claudemedic/assets/trayicon"
)

// scriptNotifier shows a notification through AppleScript; the texts go in
// as arguments, never into the script.
type scriptNotifier struct{}

func newNotifier() Notifier { return newQueued(scriptNotifier{}) }

func (scriptNotifier) Notify(title, body string, _ trayicon.State) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return exec.CommandContext(ctx, "osascript",
		"-e", "on run argv", "-e", "display notification (item 2 of argv) with title (item 1 of argv)", "-e", "end run",
		title, body).Run()
}
