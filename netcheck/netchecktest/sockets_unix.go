//go:build unix

package netchecktest

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"
	"time"
)

// rawSocket is a TCP socket on 127.0.0.1 made with syscalls, for the
// connect-level faults the net package cannot make.
type rawSocket struct {
	fd      int
	port    int
	v6      bool // on ::1 rather than 127.0.0.1
	fillers []net.Conn
}

func (s *rawSocket) addr() string {
	ip := "127.0.0.1"
	if s.v6 {
		ip = "::1"
	}
	return net.JoinHostPort(ip, strconv.Itoa(s.port))
}

func (s *rawSocket) close() {
	for _, c := range s.fillers {
		c.Close()
	}
	syscall.Close(s.fd)
}

func boundSocket() (*rawSocket, error) { return boundAt(false, 0) }

// boundAt binds a socket to 127.0.0.1 (or ::1) at port (0: any free one).
func boundAt(v6 bool, port int) (*rawSocket, error) {
	family := syscall.AF_INET
	var sa syscall.Sockaddr = &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}, Port: port}
	if v6 {
		family, sa = syscall.AF_INET6, &syscall.SockaddrInet6{Addr: [16]byte{15: 1}, Port: port}
	}
	fd, err := syscall.Socket(family, syscall.SOCK_STREAM, 0)
	if err != nil {
		return nil, fmt.Errorf("socket: %w", err)
	}
	syscall.CloseOnExec(fd)
	if err := syscall.Bind(fd, sa); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("bind: %w", err)
	}
	got, err := syscall.Getsockname(fd)
	if err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("getsockname: %w", err)
	}
	s := &rawSocket{fd: fd, v6: v6}
	switch a := got.(type) {
	case *syscall.SockaddrInet4:
		s.port = a.Port
	case *syscall.SockaddrInet6:
		s.port = a.Port
	}
	return s, nil
}

// refusingPort is a port on 127.0.0.1 that is bound but not listening, so
// it stays reserved and every connect to it is refused (RST).
func refusingPort() (*rawSocket, error) { return boundSocket() }

// blackholePort is a port on 127.0.0.1 whose connects time out for real: a
// listening socket with a backlog of 0 whose accept queue is filled and never
// accepted, so the kernel drops every further SYN.
func blackholePort() (*rawSocket, error) { return blackholeAt(false, 0) }

// blackholeAt is blackholePort on 127.0.0.1 (or ::1) at port (0: any).
func blackholeAt(v6 bool, port int) (*rawSocket, error) {
	s, err := boundAt(v6, port)
	if err != nil {
		return nil, err
	}
	if err := syscall.Listen(s.fd, 0); err != nil {
		s.close()
		return nil, fmt.Errorf("listen: %w", err)
	}
	for range 16 {
		c, err := net.DialTimeout("tcp", s.addr(), 300*time.Millisecond)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return s, nil // the queue is full: SYNs are dropped now
			}
			s.close()
			return nil, err
		}
		s.fillers = append(s.fillers, c)
	}
	s.close()
	return nil, errors.New("the accept queue never filled")
}
