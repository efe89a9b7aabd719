package claudetranscript

import "testing"

// mkfifo skips the test: Windows has no named pipes in the file system.
func mkfifo(t *testing.T, path string) { t.Skip("no named pipe in the file system on Windows:", path) }
