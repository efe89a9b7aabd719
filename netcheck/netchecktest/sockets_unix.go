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
	fillers []net.Conn
}

func (s *rawSocket) addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

func (s *rawSocket) close() {
	for _, c := range s.fillers {
		c.Close()
	}
	syscall.Close(s.fd)
}

func boundSocket() (*rawSocket, error) {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_STREAM, 0)
	if err != nil {
		return nil, fmt.Errorf("socket: %w", err)
	}
	syscall.CloseOnExec(fd)
	if err := syscall.Bind(fd, &syscall.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("bind: %w", err)
	}
	sa, err := syscall.Getsockname(fd)
	if err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("getsockname: %w", err)
	}
	return &rawSocket{fd: fd, port: sa.(*syscall.SockaddrInet4).Port}, nil
}

// refusingPort is a port on 127.0.0.1 that is bound but not listening, so
// it stays reserved and every connect to it is refused (RST).
func refusingPort() (*rawSocket, error) { return boundSocket() }

// blackholePort is a port on 127.0.0.1 whose connects time out for real: a
// listening socket with a backlog of 0 whose accept queue is filled and never
// accepted, so the kernel drops every further SYN.
func blackholePort() (*rawSocket, error) {
	s, err := boundSocket()
	if err != nil {
		return nil, err
	}
	if err := syscall.Listen(s.fd, 0); err != nil {
		s.close()
		return nil, fmt.Errorf("listen: %w", err)
	}
	for range 16 {
		c, err := net.DialTimeout("tcp4", s.addr(), 300*time.Millisecond)
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
