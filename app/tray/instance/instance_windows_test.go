//go:build windows

package instance

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/windows"
)

// blockListener takes the agent's pipe name first, as another user's process
// could, with room for one instance, which a client holds: Windows refuses
// the agent's first instance for the name being taken, Wine 8 for the
// instance limit, and a second launch finds the pipe busy.
func blockListener(t *testing.T, dir string) {
	t.Helper()
	name, err := PipeName(dir)
	if err != nil {
		t.Fatal(err)
	}
	name16, _ := windows.UTF16PtrFromString(name)
	h, err := windows.CreateNamedPipe(name16, windows.PIPE_ACCESS_DUPLEX, windows.PIPE_TYPE_BYTE, 1, 512, 512, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { windows.CloseHandle(h) })
	c, err := windows.CreateFile(name16, windows.GENERIC_READ|windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { windows.CloseHandle(c) })
}

// The pipe carries the user's SID and its DACL lets that user alone in.
func TestPipeIsTheUsers(t *testing.T) {
	dir := shortDir(t)
	a, err := Acquire(dir, func(string, string) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if err := a.HandOverErr(); err != nil {
		t.Fatal(err)
	}
	sid, err := userSID()
	if err != nil {
		t.Fatal(err)
	}
	name, err := PipeName(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(name, `\\.\pipe\claudemedic-`+sid+"-") {
		t.Errorf("pipe %s does not carry the user's SID %s", name, sid)
	}
	if other, _ := PipeName(shortDir(t)); other == name {
		t.Errorf("two folders share the pipe %s", name)
	}
	c, err := dial(dir, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	h := windows.Handle(c.(*pipeConn).Fd())
	sd, err := windows.GetSecurityInfo(h, windows.SE_KERNEL_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		t.Fatalf("reading the pipe's security: %v", err)
	}
	sddl := sd.String()
	if want := "D:P(A;;FA;;;" + sid + ")"; sddl != want && sddl != "D:P(A;;GA;;;"+sid+")" {
		t.Errorf("the pipe's DACL is %s, want %s: the user alone", sddl, want)
	}
}
