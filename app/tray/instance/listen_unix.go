//go:build !windows

package instance

import (
	"net"
	"os"
	"path/filepath"
	"time"
)

// listen serves on the Unix domain socket agent.sock in dir (a folder only
// the user can enter).
func listen(dir string) (net.Listener, error) {
	sock := filepath.Join(dir, "agent.sock")
	os.Remove(sock) // left by an agent that crashed: the lock says none runs now
	return net.Listen("unix", sock)
}

// dial connects to the agent's socket in dir.
func dial(dir string, timeout time.Duration) (net.Conn, error) {
	return net.DialTimeout("unix", filepath.Join(dir, "agent.sock"), timeout)
}
