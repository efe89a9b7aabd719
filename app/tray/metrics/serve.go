package metrics

// The endpoint's HTTP/1.1 server. It answers GET and HEAD of /metrics (the
// series) and / (a line that points to /metrics), nothing else, and never
// reads a request body. It is written here rather than with net/http,
// whose server brings TLS, HTTP/2 and the rest of net/http into the all-day
// agent (1.8 MB of its binary, most of it resident: scripts/bench-tray.sh):
// the agent's only other network code runs in its check child.

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	// headerTimeout bounds the time from a request's first byte to the end
	// of its header, as net/http's ReadHeaderTimeout did.
	headerTimeout = 5 * time.Second
	// idleTimeout closes a kept-alive connection that asks nothing more;
	// Prometheus scrapes every 15 s to a few minutes and opens another.
	idleTimeout = 5 * time.Minute
	// writeTimeout bounds the writing of one answer to a reader that stalls.
	writeTimeout = 10 * time.Second
	// maxHeader bounds the request line and header together (bytes), and
	// maxLine each line of it.
	maxHeader = 64 << 10
	maxLine   = 8 << 10
)

// server serves one listener until closed.
type server struct {
	m     *Metrics
	ln    net.Listener
	mu    sync.Mutex
	conns map[net.Conn]bool
	done  bool
	wg    sync.WaitGroup
	// headerTimeout is headerTimeout but in a test; read under mu.
	headerTimeout time.Duration
}

func (s *server) serve() error {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			s.mu.Lock()
			done := s.done
			s.mu.Unlock()
			if done {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(10 * time.Millisecond)
				continue
			}
			return err
		}
		s.mu.Lock()
		if s.done {
			s.mu.Unlock()
			c.Close()
			return nil
		}
		s.conns[c] = true
		s.wg.Add(1)
		s.mu.Unlock()
		go func() {
			defer s.wg.Done()
			s.conn(c)
			c.Close()
			s.mu.Lock()
			delete(s.conns, c)
			s.mu.Unlock()
		}()
	}
}

// close stops accepting, closes every connection and waits for them.
func (s *server) close() error {
	s.mu.Lock()
	s.done = true
	err := s.ln.Close()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
	return err
}

// request is what the server reads of a request.
type request struct {
	method, target string
	http10         bool // HTTP/1.0: the connection closes after the answer
	close          bool // Connection: close
	body           bool // Content-Length other than 0, or Transfer-Encoding
}

var errBadRequest = errors.New("bad request")

// conn answers the requests of one connection, in turn, until it closes,
// errs or asks to close.
func (s *server) conn(c net.Conn) {
	s.mu.Lock()
	ht := s.headerTimeout
	s.mu.Unlock()
	br := bufio.NewReaderSize(c, 4096)
	var hdr []byte
	for {
		c.SetReadDeadline(time.Now().Add(idleTimeout))
		if _, err := br.Peek(1); err != nil {
			return
		}
		c.SetReadDeadline(time.Now().Add(ht))
		r, err := readRequest(br)
		if err != nil {
			if errors.Is(err, errBadRequest) {
				c.SetWriteDeadline(time.Now().Add(writeTimeout))
				c.Write([]byte("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n400 Bad Request"))
			}
			return
		}
		keep := !r.http10 && !r.close && !r.body
		var body []byte
		hdr, body = s.m.answer(hdr[:0], r, keep)
		c.SetWriteDeadline(time.Now().Add(writeTimeout))
		bufs := net.Buffers{hdr, body} // one write (writev), the body not copied
		if _, err := bufs.WriteTo(c); err != nil || !keep {
			return
		}
	}
}

// readRequest reads a request line and its header.
func readRequest(br *bufio.Reader) (*request, error) {
	total := 0
	line := func() ([]byte, error) {
		l, err := br.ReadSlice('\n')
		total += len(l)
		if errors.Is(err, bufio.ErrBufferFull) || len(l) > maxLine || total > maxHeader {
			return nil, errBadRequest
		}
		if err != nil {
			return nil, err
		}
		return bytes.TrimRight(l, "\r\n"), nil
	}
	l, err := line()
	if err != nil {
		return nil, err
	}
	method, rest, ok1 := bytes.Cut(l, []byte(" "))
	target, proto, ok2 := bytes.Cut(rest, []byte(" "))
	if !ok1 || !ok2 || len(method) == 0 || len(target) == 0 {
		return nil, errBadRequest
	}
	r := &request{method: string(method), target: string(target)}
	switch string(proto) {
	case "HTTP/1.1":
	case "HTTP/1.0":
		r.http10 = true
	default:
		return nil, errBadRequest
	}
	for {
		l, err := line()
		if err != nil {
			return nil, err
		}
		if len(l) == 0 {
			return r, nil
		}
		name, value, ok := bytes.Cut(l, []byte(":"))
		if !ok || len(name) == 0 || bytes.ContainsAny(name, " \t") {
			return nil, errBadRequest
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Connection")):
			for _, opt := range bytes.Split(value, []byte(",")) {
				if bytes.EqualFold(bytes.TrimSpace(opt), []byte("close")) {
					r.close = true
				}
			}
		case bytes.EqualFold(name, []byte("Content-Length")):
			if n, err := strconv.ParseUint(string(value), 10, 63); err != nil {
				return nil, errBadRequest
			} else if n > 0 {
				r.body = true
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			r.body = true
		}
	}
}

// answer appends the status line and header of the answer to r to b, and
// returns them and the body (nil for HEAD).
func (m *Metrics) answer(b []byte, r *request, keep bool) ([]byte, []byte) {
	path := r.target
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	status, ctype, body := "200 OK", "text/plain; charset=utf-8", []byte(nil)
	var allow bool
	switch {
	case r.method != "GET" && r.method != "HEAD":
		status, body, allow = "405 Method Not Allowed", []byte("405 method not allowed\n"), true
	case path == "/metrics":
		ctype, body = textFormat, m.render()
	case path == "/":
		body = []byte("Claude Medic: the metrics are at /metrics\n")
	default:
		status, body = "404 Not Found", []byte("404 page not found\n")
	}
	b = append(b, "HTTP/1.1 "...)
	b = append(b, status...)
	b = append(b, "\r\nContent-Type: "...)
	b = append(b, ctype...)
	b = append(b, "\r\nContent-Length: "...)
	b = strconv.AppendInt(b, int64(len(body)), 10)
	b = append(b, "\r\nDate: "...)
	b = time.Now().UTC().AppendFormat(b, "Mon, 02 Jan 2006 15:04:05 GMT")
	if allow {
		b = append(b, "\r\nAllow: GET, HEAD"...)
	}
	if status != "200 OK" {
		b = append(b, "\r\nX-Content-Type-Options: nosniff"...)
	}
	if !keep {
		b = append(b, "\r\nConnection: close"...)
	}
	b = append(b, "\r\n\r\n"...)
	if r.method == "HEAD" {
		body = nil
	}
	return b, body
}
