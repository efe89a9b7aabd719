//go:build windows

package instance

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// PipeName is the named pipe the agent whose lock is in dir listens on:
// \\.\pipe\claudemedic-<user SID>-<hash of dir>. Named pipes are one
// namespace for the whole machine, so the name carries the user; the hash of
// the folder keeps two folders (tests) apart.
func PipeName(dir string) (string, error) {
	sid, err := userSID()
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(strings.ToLower(filepath.Clean(abs))))
	return `\\.\pipe\claudemedic-` + sid + "-" + hex.EncodeToString(sum[:8]), nil
}

// userSID is the SID of the user this process runs as.
func userSID() (string, error) {
	u, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		return "", fmt.Errorf("finding the current user: %w", err)
	}
	return u.User.Sid.String(), nil
}

// pipeListener is a net.Listener on a named pipe: one instance waits for a
// client at a time, and a fresh one is made as each client connects. Accept
// is called from one goroutine.
type pipeListener struct {
	name    string
	sa      *windows.SecurityAttributes
	closeEv windows.Handle // set by Close, ends a waiting Accept
	wg      sync.WaitGroup // a running Accept

	mu      sync.Mutex
	closed  bool
	next    windows.Handle // the instance waiting for the next client
	nextErr error          // why no instance could be made
	ov      *windows.Overlapped
}

// listen serves on the agent's named pipe. Only the user may open it (a
// protected DACL with one entry, for the user's SID), remote clients are
// refused, and it fails when the pipe exists already (on Windows; Wine 8 does
// not check), so a process of another user that took the name first is never
// mistaken for the agent.
func listen(dir string) (net.Listener, error) {
	name, err := PipeName(dir)
	if err != nil {
		return nil, err
	}
	sid, err := userSID()
	if err != nil {
		return nil, err
	}
	sd, err := windows.SecurityDescriptorFromString("D:P(A;;GA;;;" + sid + ")")
	if err != nil {
		return nil, fmt.Errorf("the pipe's security descriptor: %w", err)
	}
	l := &pipeListener{name: name, sa: &windows.SecurityAttributes{SecurityDescriptor: sd}}
	l.sa.Length = uint32(unsafe.Sizeof(*l.sa))
	if l.next, err = l.instance(true); err != nil {
		return nil, err
	}
	connected, err := windows.CreateEvent(nil, 1, 0, nil)
	if err != nil {
		windows.CloseHandle(l.next)
		return nil, err
	}
	l.ov = &windows.Overlapped{HEvent: connected}
	if l.closeEv, err = windows.CreateEvent(nil, 1, 0, nil); err != nil {
		windows.CloseHandle(l.next)
		windows.CloseHandle(connected)
		return nil, err
	}
	return l, nil
}

// instance makes one instance of the pipe, the first failing when the pipe exists.
func (l *pipeListener) instance(first bool) (windows.Handle, error) {
	name, err := windows.UTF16PtrFromString(l.name)
	if err != nil {
		return windows.InvalidHandle, err
	}
	flags := uint32(windows.PIPE_ACCESS_DUPLEX | windows.FILE_FLAG_OVERLAPPED)
	if first {
		flags |= windows.FILE_FLAG_FIRST_PIPE_INSTANCE
	}
	h, err := windows.CreateNamedPipe(name, flags,
		windows.PIPE_TYPE_BYTE|windows.PIPE_READMODE_BYTE|windows.PIPE_WAIT|windows.PIPE_REJECT_REMOTE_CLIENTS,
		windows.PIPE_UNLIMITED_INSTANCES, 4096, 4096, 0, l.sa)
	if err != nil {
		return windows.InvalidHandle, fmt.Errorf("creating the pipe %s: %w", l.name, err)
	}
	return h, nil
}

func (l *pipeListener) Accept() (net.Conn, error) {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil, net.ErrClosed
	}
	if l.nextErr != nil {
		l.mu.Unlock()
		return nil, l.nextErr
	}
	h, ov := l.next, l.ov
	l.wg.Add(1)
	l.mu.Unlock()
	defer l.wg.Done()

	err := windows.ConnectNamedPipe(h, ov)
	if errors.Is(err, windows.ERROR_IO_PENDING) {
		windows.WaitForMultipleObjects([]windows.Handle{ov.HEvent, l.closeEv}, false, windows.INFINITE)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil, net.ErrClosed // Close closed h
	}
	if errors.Is(err, windows.ERROR_IO_PENDING) {
		var n uint32
		err = windows.GetOverlappedResult(h, ov, &n, false)
	}
	windows.ResetEvent(ov.HEvent)
	if err != nil && !errors.Is(err, windows.ERROR_PIPE_CONNECTED) {
		return nil, fmt.Errorf("waiting on the pipe %s: %w", l.name, err)
	}
	l.next, l.nextErr = l.instance(false)
	return &pipeConn{File: os.NewFile(uintptr(h), l.name), name: l.name}, nil
}

// Close ends a waiting Accept and closes the waiting instance; connections
// already accepted stay open.
func (l *pipeListener) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	windows.SetEvent(l.closeEv)
	if l.next != windows.InvalidHandle {
		windows.CancelIoEx(l.next, nil)
		windows.CloseHandle(l.next)
		l.next = windows.InvalidHandle
	}
	l.mu.Unlock()
	l.wg.Wait()
	windows.CloseHandle(l.ov.HEvent)
	windows.CloseHandle(l.closeEv)
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr(l.name) }

// pipeConn is one end of a connected pipe. The handle is overlapped, so
// os.File runs it on Go's I/O completion port, with deadlines.
type pipeConn struct {
	*os.File
	name string
}

func (c *pipeConn) LocalAddr() net.Addr  { return pipeAddr(c.name) }
func (c *pipeConn) RemoteAddr() net.Addr { return pipeAddr(c.name) }

type pipeAddr string

func (pipeAddr) Network() string  { return "pipe" }
func (a pipeAddr) String() string { return string(a) }

// dial connects to the agent's named pipe, waiting up to timeout while every
// instance is busy. The agent may identify the caller but never act as it,
// and a pipe another user's process serves is refused.
func dial(dir string, timeout time.Duration) (net.Conn, error) {
	name, err := PipeName(dir)
	if err != nil {
		return nil, err
	}
	name16, err := windows.UTF16PtrFromString(name)
	if err != nil {
		return nil, err
	}
	deadline := time.Now().Add(timeout)
	for {
		h, err := windows.CreateFile(name16, windows.GENERIC_READ|windows.GENERIC_WRITE, 0, nil, windows.OPEN_EXISTING,
			windows.FILE_FLAG_OVERLAPPED|windows.SECURITY_SQOS_PRESENT|windows.SECURITY_IDENTIFICATION, 0)
		if err == nil {
			if err := servedByUser(h); err != nil {
				windows.CloseHandle(h)
				return nil, fmt.Errorf("the pipe %s: %w", name, err)
			}
			return &pipeConn{File: os.NewFile(uintptr(h), name), name: name}, nil
		}
		if !errors.Is(err, windows.ERROR_PIPE_BUSY) || time.Now().After(deadline) {
			return nil, fmt.Errorf("opening the pipe %s: %w", name, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// servedByUser checks that the process serving the pipe h runs as this user:
// on Windows a process of another user cannot take the name once the agent
// has it, but could before.
func servedByUser(h windows.Handle) error {
	var pid uint32
	if err := windows.GetNamedPipeServerProcessId(h, &pid); err != nil {
		return fmt.Errorf("finding who serves it: %w", err)
	}
	p, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return fmt.Errorf("process %d serves it and cannot be inspected: %w", pid, err)
	}
	defer windows.CloseHandle(p)
	var token windows.Token
	if err := windows.OpenProcessToken(p, windows.TOKEN_QUERY, &token); err != nil {
		return fmt.Errorf("process %d serves it and cannot be inspected: %w", pid, err)
	}
	defer token.Close()
	owner, err := token.GetTokenUser()
	if err != nil {
		return fmt.Errorf("process %d serves it: %w", pid, err)
	}
	me, err := userSID()
	if err != nil {
		return err
	}
	if owner.User.Sid.String() != me {
		return fmt.Errorf("process %d of another user (%s) serves it", pid, owner.User.Sid)
	}
	return nil
}
