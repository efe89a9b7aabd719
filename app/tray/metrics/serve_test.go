//go:build unix

package metrics

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestServerHTTP: the endpoint's own HTTP server, as clients and bad
// clients use it: net/http's client with keep-alive, HEAD, other paths and
// methods, HTTP/1.0, pipelined requests, a header too large, garbage, a
// client that sends half a header, and Close with a connection kept alive.
func TestServerHTTP(t *testing.T) {
	m := New()
	s, err := Serve("127.0.0.1:0", m)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	base := "http://" + s.Addr

	// Scrapes over one kept-alive connection, as Prometheus makes them.
	tr := &http.Transport{MaxIdleConnsPerHost: 1}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	for i := range 3 {
		resp, err := client.Get(base + "/metrics?i=1")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/plain; version=0.0.4; charset=utf-8" ||
			!strings.Contains(string(b), "claudemedic_api_timeout_seconds 600\n") || resp.ContentLength != int64(len(b)) {
			t.Errorf("scrape %d: %d %q %d bytes of %d", i, resp.StatusCode, resp.Header.Get("Content-Type"), len(b), resp.ContentLength)
		}
	}
	s.srv.mu.Lock()
	n := len(s.srv.conns)
	s.srv.mu.Unlock()
	if n != 1 {
		t.Errorf("%d connections for 3 scrapes with keep-alive; want 1", n)
	}
	for _, c := range []struct {
		method, path string
		status       int
		body         string
	}{
		{"HEAD", "/metrics", 200, ""},
		{"GET", "/", 200, "Claude Medic: the metrics are at /metrics\n"},
		{"GET", "/metrics/x", 404, "404 page not found\n"},
		{"GET", "/favicon.ico", 404, "404 page not found\n"},
		{"POST", "/metrics", 405, "405 method not allowed\n"},
		{"DELETE", "/", 405, "405 method not allowed\n"},
	} {
		req, _ := http.NewRequest(c.method, base+c.path, nil)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", c.method, c.path, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || string(b) != c.body {
			t.Errorf("%s %s: %d %q; want %d %q", c.method, c.path, resp.StatusCode, b, c.status, c.body)
		}
	}

	raw := func(req string) string {
		t.Helper()
		c, err := net.Dial("tcp", s.Addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(10 * time.Second))
		io.WriteString(c, req)
		b, _ := io.ReadAll(c) // until the server closes
		return string(b)
	}
	// HTTP/1.0 closes after one answer; pipelined requests get their answers in turn.
	if out := raw("GET /metrics HTTP/1.0\r\n\r\n"); !strings.HasPrefix(out, "HTTP/1.1 200 OK\r\n") || !strings.Contains(out, "Connection: close\r\n") {
		t.Errorf("HTTP/1.0: %.200q", out)
	}
	if out := raw("GET / HTTP/1.1\r\nHost: x\r\n\r\nHEAD /nothing HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"); strings.Count(out, "HTTP/1.1 200 OK") != 2 || strings.Count(out, "HTTP/1.1 404") != 1 {
		t.Errorf("pipelined: %q", out)
	}
	for name, req := range map[string]string{
		"garbage":     "hello\r\n\r\n",
		"no protocol": "GET /metrics\r\n\r\n",
		"HTTP/2":      "GET /metrics HTTP/2.0\r\n\r\n",
		"bad header":  "GET /metrics HTTP/1.1\r\nno colon\r\n\r\n",
		"long line":   "GET /" + strings.Repeat("a", 10000) + " HTTP/1.1\r\n\r\n",
		"big header":  "GET / HTTP/1.1\r\n" + strings.Repeat("X-A: "+strings.Repeat("b", 1000)+"\r\n", 100) + "\r\n",
		"bad length":  "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
	} {
		if out := raw(req); !strings.HasPrefix(out, "HTTP/1.1 400 Bad Request\r\n") {
			t.Errorf("%s: %.200q", name, out)
		}
	}
	// A request with a body is answered, and the connection closed (the
	// body is never read).
	if out := raw("GET / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\n\r\n"); strings.Count(out, "HTTP/1.1 200 OK") != 1 {
		t.Errorf("with a body: %q", out)
	}

	// Half a header: the connection closes after the header timeout.
	s.srv.mu.Lock()
	s.srv.headerTimeout = 200 * time.Millisecond
	s.srv.mu.Unlock()
	c, err := net.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	io.WriteString(c, "GET /metrics HTTP/1.1\r\nHost: x\r\n")
	c.SetDeadline(time.Now().Add(5 * time.Second))
	if b, err := io.ReadAll(c); err != nil || len(b) != 0 {
		t.Errorf("half a header: %q, %v; want the connection closed", b, err)
	}

	// Close closes a kept-alive connection and returns.
	idle, err := net.Dial("tcp", s.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	io.WriteString(idle, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(idle)
	if l, _ := br.ReadString('\n'); l != "HTTP/1.1 200 OK\r\n" {
		t.Fatalf("kept alive: %q", l)
	}
	closed := make(chan error)
	go func() { closed <- s.Close() }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return with a connection kept alive")
	}
	idle.SetDeadline(time.Now().Add(5 * time.Second))
	io.ReadAll(br)
	if _, err := net.Dial("tcp", s.Addr); err == nil {
		t.Error("the endpoint still accepts after Close")
	}
}
