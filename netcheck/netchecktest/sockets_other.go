//go:build !unix

package netchecktest

import (
	"errors"
	"net"
)

// rawSocket stands for a connect-level fault; on this platform only the
// refused port can be made (by listening and closing).
type rawSocket struct{ address string }

func (s *rawSocket) addr() string { return s.address }

func (s *rawSocket) close() {}

func refusingPort() (*rawSocket, error) {
	l, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	a := l.Addr().String()
	l.Close()
	return &rawSocket{address: a}, nil
}

func blackholePort() (*rawSocket, error) {
	return nil, errors.New("a blackholed connect needs a unix socket API")
}
