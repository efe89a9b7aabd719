package netchecktest

import (
	"bufio"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"sync"
)

// proxyServer is an HTTP CONNECT proxy on 127.0.0.1. It answers CONNECT
// with status (407 asks for credentials) or, when status is 200, tunnels
// to the requested address: loopback only, the fake's host names mapped to
// 127.0.0.1, anything else refused with 403.
type proxyServer struct {
	ln     net.Listener
	status int
	auth   string // the Proxy-Authorization it demands ("Basic …"); "" for none
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  map[net.Conn]bool
}

func startProxy(status int) (*proxyServer, error) { return listenProxy(status, "") }

func listenProxy(status int, auth string) (*proxyServer, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &proxyServer{ln: ln, status: status, auth: auth, conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.serve()
	return p, nil
}

// startAuthProxy starts a tunnelling proxy that demands Basic credentials
// user and pass (407 otherwise).
func startAuthProxy(user, pass string) (*proxyServer, error) {
	return listenProxy(http.StatusOK, "Basic "+base64.StdEncoding.EncodeToString([]byte(user+":"+pass)))
}

func (p *proxyServer) url() string { return "http://" + p.ln.Addr().String() }

func (p *proxyServer) close() {
	p.ln.Close()
	p.mu.Lock()
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *proxyServer) track(c net.Conn, on bool) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if on && p.conns == nil {
		return false
	}
	if on {
		p.conns[c] = true
	} else {
		delete(p.conns, c)
	}
	return true
}

func (p *proxyServer) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.track(c, true)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer p.track(c, false)
			defer c.Close()
			p.handle(c)
		}()
	}
}

func (p *proxyServer) handle(c net.Conn) {
	br := bufio.NewReader(c)
	req, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	status := p.status
	if p.auth != "" && req.Header.Get("Proxy-Authorization") != p.auth {
		status = http.StatusProxyAuthRequired
	}
	host, _, err := net.SplitHostPort(req.Host)
	if (req.Method != http.MethodConnect || err != nil) && status == http.StatusOK {
		status = http.StatusMethodNotAllowed // it only tunnels
	}
	target := req.Host
	if status == http.StatusOK {
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
			// tunnel as asked
		} else if host == testHost || host == realHost || host == dualHost || host == "localhost" {
			_, port, _ := net.SplitHostPort(req.Host)
			target = net.JoinHostPort("127.0.0.1", port) // the fake's names are all this machine
		} else {
			status = http.StatusForbidden // this proxy never leaves the machine
		}
	}
	if status != http.StatusOK {
		resp := &http.Response{StatusCode: status, ProtoMajor: 1, ProtoMinor: 1, Header: http.Header{}, ContentLength: 0}
		if status == http.StatusProxyAuthRequired {
			resp.Header.Set("Proxy-Authenticate", `Basic realm="netchecktest"`)
		}
		resp.Write(c)
		return
	}
	up, err := net.Dial("tcp", target)
	if err != nil {
		(&http.Response{StatusCode: http.StatusBadGateway, ProtoMajor: 1, ProtoMinor: 1, Header: http.Header{}}).Write(c)
		return
	}
	p.track(up, true)
	defer p.track(up, false)
	defer up.Close()
	io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
	done := make(chan struct{}, 2)
	go func() { io.Copy(up, br); up.(*net.TCPConn).CloseWrite(); done <- struct{}{} }()
	go func() { io.Copy(c, up); c.Close(); done <- struct{}{} }() // the server hung up or reset: so does the tunnel
	<-done
	<-done
}
