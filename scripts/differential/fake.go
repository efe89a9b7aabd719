//go:build differential

package differential

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"claudemedic/netcheck/netchecktest"
)

// Host names the run's /etc/hosts gives 127.0.0.1.
const (
	apiHost   = "api.claudemedic.test"
	otherHost = "other.claudemedic.test"
)

// The credentials the fake accepts: the API key as x-api-key or Bearer, a
// relay's token as Bearer. A gateway that wants a header wants gatewayKey.
const (
	relayToken    = "sk-relay-differential-0123456789abcdefghijklmnopqrstuvwxyz"
	wrongKey      = "sk-ant-api03-differential-WRONG-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123-AA"
	gatewayHeader = "X-Gateway-Key"
	gatewayKey    = "open-sesame"
	proxyUser     = "medic"
	proxyPass     = "p@ss:w/rd%"
	proxyUserinfo = "medic:p%40ss%3Aw%2Frd%25"
)

var apiKey = netchecktest.TestKey

// hit is one request the fake (or its proxy) saw.
type hit struct {
	Phase  string `json:"phase"`
	Method string `json:"method"`
	Path   string `json:"path"`
	Status int    `json:"status"`
	Stream bool   `json:"stream,omitempty"`
	System bool   `json:"system_role,omitempty"` // a system role inside messages
	Note   string `json:"note,omitempty"`
	// Params are the request's generation settings (thinking,
	// context_management, output_config, max_tokens): no prompt text.
	Params map[string]json.RawMessage `json:"params,omitempty"`
}

// Fake is one set-up's configurable server: the API (or the relay, gateway,
// WAF in front of it) over TLS and over plain HTTP, a proxy, a dead port.
type Fake struct {
	s        Setup
	pki      *pki
	tlsLn    net.Listener
	plainLn  net.Listener
	srvTLS   *http.Server
	srvPlain *http.Server
	proxy    *proxy // answers as the set-up's proxy does
	deadPort int    // nothing listens here

	mu    sync.Mutex
	phase string
	count int // requests this phase (the flaky fault fails the first)
	hits  []hit
	quit  chan struct{}
}

// StartFake starts the fake for s.
func StartFake(p *pki, s Setup) (*Fake, error) {
	f := &Fake{s: s, pki: p, quit: make(chan struct{})}
	var cert tls.Certificate
	switch s["tls"] {
	case "mismatch":
		cert = p.other
	case "expired":
		cert = p.expired
	case "untrusted":
		cert = p.untrusted
	case "chain":
		cert = p.chained
	case "chain_missing":
		cert = p.chainMissing
	default:
		cert = p.good
	}
	var err error
	if f.tlsLn, err = net.Listen("tcp4", "127.0.0.1:0"); err != nil {
		return nil, err
	}
	if f.plainLn, err = net.Listen("tcp4", "127.0.0.1:0"); err != nil {
		f.tlsLn.Close()
		return nil, err
	}
	dead, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	f.deadPort = dead.Addr().(*net.TCPAddr).Port
	dead.Close()
	quiet := log.New(io.Discard, "", 0)
	f.srvTLS = &http.Server{Handler: http.HandlerFunc(f.serve), ErrorLog: quiet,
		TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2", "http/1.1"}, MinVersion: tls.VersionTLS12}}
	f.srvPlain = &http.Server{Handler: http.HandlerFunc(f.serve), ErrorLog: quiet}
	go f.srvTLS.ServeTLS(f.tlsLn, "", "")
	go f.srvPlain.Serve(f.plainLn)
	mode := proxyOK
	switch s["proxy"] {
	case "auth", "auth_missing":
		mode = proxyAuth
	case "refused":
		mode = proxyForbidden
	}
	if f.proxy, err = startProxy(mode, f); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// Close stops everything the fake started.
func (f *Fake) Close() {
	select {
	case <-f.quit:
	default:
		close(f.quit)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	f.srvTLS.Shutdown(ctx)
	f.srvPlain.Shutdown(ctx)
	f.srvTLS.Close()
	f.srvPlain.Close()
	if f.proxy != nil {
		f.proxy.close()
	}
}

// Phase starts a new phase ("claude", "medic"): the flaky fault fails the
// first request of each.
func (f *Fake) Phase(name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.phase, f.count = name, 0
}

// Hits returns the requests of phase.
func (f *Fake) Hits(phase string) []hit {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []hit
	for _, h := range f.hits {
		if h.Phase == phase {
			out = append(out, h)
		}
	}
	return out
}

func (f *Fake) record(h hit) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	h.Phase = f.phase
	f.hits = append(f.hits, h)
	if len(f.hits) > 200 {
		f.hits = f.hits[1:]
	}
	if h.Note != "proxy" { // the flaky fault fails the first API request, not a proxy's CONNECT
		f.count++
	}
	return f.count
}

func (f *Fake) tlsPort() int   { return f.tlsLn.Addr().(*net.TCPAddr).Port }
func (f *Fake) plainPort() int { return f.plainLn.Addr().(*net.TCPAddr).Port }

// statusWriter remembers the status written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// body is what the fake reads of a request body.
type body struct {
	Model    string            `json:"model"`
	Stream   bool              `json:"stream"`
	Messages []json.RawMessage `json:"messages"`
	raw      map[string]json.RawMessage
}

func (b body) systemRole() bool {
	for _, m := range b.Messages {
		var msg struct {
			Role string `json:"role"`
		}
		if json.Unmarshal(m, &msg) == nil && msg.Role == "system" {
			return true
		}
	}
	return false
}

func (f *Fake) serve(rw http.ResponseWriter, r *http.Request) {
	s := f.s
	raw, _ := io.ReadAll(io.LimitReader(r.Body, 4<<20))
	var b body
	json.Unmarshal(raw, &b)
	json.Unmarshal(raw, &b.raw)
	w := &statusWriter{ResponseWriter: rw}
	h := hit{Method: r.Method, Path: r.URL.Path, Stream: b.Stream, System: b.systemRole()}
	for _, k := range []string{"thinking", "context_management", "output_config", "max_tokens"} {
		if v, ok := b.raw[k]; ok && len(v) < 400 {
			if h.Params == nil {
				h.Params = map[string]json.RawMessage{}
			}
			h.Params[k] = v
		}
	}
	defer func() {
		h.Status = w.status
		f.record(h)
	}()
	f.mu.Lock()
	n := f.count + 1 // this request's number in the phase (recorded when it ends)
	f.mu.Unlock()

	// A flaky gateway fails the first request of a phase.
	if n == 1 && s["flaky"] != "none" {
		h.Note = "flaky"
		switch s["flaky"] {
		case "reset_once":
			panic(http.ErrAbortHandler)
		case "529_once":
			f.errorAnswer(w, 529)
		case "500_once":
			f.errorAnswer(w, 500)
		case "429_once":
			f.errorAnswer(w, 429)
		case "401_once":
			f.errorAnswer(w, 401)
		}
		return
	}

	// A gateway that moved redirects everything under /v1 to /r/v1.
	path := r.URL.Path
	if red := s["redirect"]; red != "none" && !strings.HasPrefix(path, "/r/") {
		scheme, port := "https", f.tlsPort()
		if r.TLS == nil {
			scheme, port = "http", f.plainPort()
		}
		host, _, _ := net.SplitHostPort(r.Host)
		if host == "" {
			host = r.Host
		}
		target := "/r" + r.URL.RequestURI()
		code := http.StatusTemporaryRedirect
		switch red {
		case "301", "302", "307", "308":
			code, _ = strconv.Atoi(red)
		case "loop":
			target = r.URL.RequestURI()
		case "other_host":
			host = otherHost
		case "to_http":
			scheme, port = "http", f.plainPort()
		}
		loc := scheme + "://" + net.JoinHostPort(host, strconv.Itoa(port)) + target
		w.Header().Set("Location", loc)
		w.WriteHeader(code)
		h.Note = "redirect"
		return
	}
	path = strings.TrimPrefix(path, "/r")

	// A gateway that wants its own header.
	switch s["headers"] {
	case "required_given", "required_missing", "unparsable_required", "multi_required":
		if r.Header.Get(gatewayHeader) != gatewayKey {
			h.Note = "gateway header missing"
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":{"message":"missing or wrong X-Gateway-Key","type":"gateway_error","code":"unauthorized"}}`)
			return
		}
	}

	if d := s["delay"]; d != "0" {
		dur, _ := time.ParseDuration(d)
		select {
		case <-time.After(dur):
		case <-r.Context().Done():
			h.Note = "client left during delay"
			return
		case <-f.quit:
			return
		}
	}

	count := r.Method == http.MethodPost && path == "/v1/messages/count_tokens"
	messages := r.Method == http.MethodPost && path == "/v1/messages"
	relay := s["relay"]
	if relay == "messages_only" && !messages { // claude-code-router: one route
		f.setType(w, "application/json; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"message":"Route %s:%s not found","error":"Not Found","statusCode":404}`, r.Method, r.URL.RequestURI())
		return
	}
	if count && (relay == "count_self_401" || relay == "count_self_empty") { // the relay counts by itself
		f.setType(w, "application/json")
		io.WriteString(w, `{"input_tokens":8}`)
		return
	}

	if st := s["status"]; st != "200" {
		code, _ := strconv.Atoi(st)
		f.errorAnswer(w, code)
		return
	}
	if !f.authorized(r) {
		h.Note = "unauthorized"
		f.apiError(w, 401, "authentication_error", "invalid x-api-key")
		return
	}
	switch relay {
	case "count_self_401":
		if messages {
			msg, _ := json.Marshal(fmt.Sprintf(`Error from provider(anthropic,%s: 401): {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}`, b.Model))
			f.setType(w, "application/json; charset=utf-8")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"error":{"message":%s,"type":"api_error","code":"provider_response_error"}}`, msg)
			return
		}
	case "count_self_empty":
		if messages {
			f.setType(w, "text/event-stream")
			w.WriteHeader(http.StatusOK)
			return
		}
	case "strict_system":
		if h.System {
			f.setType(w, "application/json")
			w.WriteHeader(http.StatusUnprocessableEntity)
			io.WriteString(w, `{"type":"error","error":{"type":"invalid_request_error","message":"messages.1.role: Input should be 'user' or 'assistant'"}}`)
			return
		}
	case "unknown_param":
		for _, p := range []string{"context_management", "output_config"} {
			if _, ok := b.raw[p]; ok {
				f.apiError(w, 400, "invalid_request_error", p+": Extra inputs are not permitted")
				return
			}
		}
	case "beta_reject":
		if betas := strings.TrimSpace(r.Header.Get("anthropic-beta")); betas != "" {
			f.apiError(w, 400, "invalid_request_error", "Unexpected value(s) `"+betas+"` for the `anthropic-beta` header. Please consult our documentation at docs.claude.com or try again without the header.")
			return
		}
	}
	switch {
	case r.Method == http.MethodGet && path == "/v1/models":
		f.setType(w, "application/json")
		io.WriteString(w, `{"data":[{"type":"model","id":"claude-opus-5-5","display_name":"Claude Opus 5.5","created_at":"2026-09-01T00:00:00Z"}],"has_more":false}`)
	case count:
		f.setType(w, "application/json")
		io.WriteString(w, `{"input_tokens":8}`)
	case messages && len(b.Messages) == 0:
		f.apiError(w, 400, "invalid_request_error", "messages: Field required")
	case messages && b.Stream:
		f.stream(w, r, b.Model, s["stream"])
	case messages && s["nonstream"] == "same" && s["stream"] != "json":
		f.stream(w, r, b.Model, s["stream"]) // the broken relay answers the non-streaming retry with its broken stream
	case messages:
		f.setType(w, "application/json")
		fmt.Fprint(w, message(b.Model))
	default:
		f.apiError(w, 404, "not_found_error", "Not Found")
	}
}

func message(model string) string {
	return fmt.Sprintf(`{"id":"msg_differential","type":"message","role":"assistant","model":%q,"content":[{"type":"text","text":"Hi"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":8,"output_tokens":1}}`, model)
}

func (f *Fake) authorized(r *http.Request) bool {
	if a := r.Header.Get("Authorization"); strings.HasPrefix(a, "Bearer ") { // the API judges the Bearer token first
		t := strings.TrimPrefix(a, "Bearer ")
		return t == apiKey || t == relayToken
	}
	return r.Header.Get("x-api-key") == apiKey
}

// setType sets the content type the set-up's ctype dimension says: right
// (what the answer is), or a wrong one, or none at all.
func (f *Fake) setType(w http.ResponseWriter, right string) {
	switch f.s["ctype"] {
	case "json":
		right = "application/json"
	case "html":
		right = "text/html; charset=utf-8"
	case "text":
		right = "text/plain; charset=utf-8"
	case "none":
		w.Header()["Content-Type"] = nil // no sniffing either
		return
	}
	w.Header().Set("Content-Type", right)
}

func (f *Fake) apiError(w http.ResponseWriter, status int, typ, msg string) {
	f.setType(w, "application/json")
	w.Header().Set("request-id", "req_011differential")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"type": "error", "error": map[string]string{"type": typ, "message": msg}, "request_id": "req_011differential"})
}

// errorAnswer answers status in the set-up's body shape, with its retry-after.
func (f *Fake) errorAnswer(w http.ResponseWriter, status int) {
	switch ra := f.s["retry_after"]; ra {
	case "none":
	case "junk":
		w.Header().Set("retry-after", "soon")
	case "date":
		w.Header().Set("retry-after", time.Now().Add(3*time.Second).UTC().Format(http.TimeFormat))
	default:
		w.Header().Set("retry-after", ra)
	}
	typ, msg := "api_error", http.StatusText(status)
	switch status {
	case 400:
		typ, msg = "invalid_request_error", "Bad request"
	case 401:
		typ, msg = "authentication_error", "invalid x-api-key"
	case 403:
		typ, msg = "permission_error", "Your API key does not have permission to use the specified resource."
	case 404:
		typ, msg = "not_found_error", "Not Found"
	case 413:
		typ, msg = "request_too_large", "Request exceeds the maximum allowed number of bytes."
	case 422:
		typ, msg = "invalid_request_error", "Unprocessable Entity"
	case 429:
		typ, msg = "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit"
	case 500:
		msg = "Internal server error"
	case 529:
		typ, msg = "overloaded_error", "Overloaded"
	}
	text := strconv.Itoa(status) + " " + http.StatusText(status)
	if status == 529 {
		text = "529 Overloaded"
	}
	switch f.s["body"] {
	case "anthropic":
		f.apiError(w, status, typ, msg)
	case "relay":
		f.setType(w, "application/json; charset=utf-8")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"message": msg + " (request id: 20261207120000000123456)", "type": "new_api_error", "code": strings.ToLower(strings.ReplaceAll(http.StatusText(status), " ", "_"))}})
	case "text":
		f.setType(w, "text/plain; charset=utf-8")
		w.WriteHeader(status)
		io.WriteString(w, text+"\n")
	case "html":
		f.setType(w, "text/html")
		w.WriteHeader(status)
		fmt.Fprintf(w, "<html>\r\n<head><title>%s</title></head>\r\n<body>\r\n<center><h1>%s</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", text, text)
	case "waf":
		f.setType(w, "text/html; charset=UTF-8")
		w.Header().Set("cf-ray", "8f00000000000000-FRA")
		w.Header().Set("Server", "cloudflare")
		w.WriteHeader(status)
		io.WriteString(w, `<!DOCTYPE html><html lang="en-US"><head><title>Attention Required! | Cloudflare</title></head><body><div id="cf-wrapper"><h1>Sorry, you have been blocked</h1><h2>You are unable to access claudemedic.test</h2><p>This website is using a security service to protect itself from online attacks.</p><span>Cloudflare Ray ID: 8f00000000000000</span></div></body></html>`)
	case "empty":
		w.Header()["Content-Type"] = nil
		w.WriteHeader(status)
	}
}

// stream answers a request with the set-up's stream framing.
func (f *Fake) stream(w http.ResponseWriter, r *http.Request, model, framing string) {
	if framing == "json" { // a non-streaming answer to a streaming request
		f.setType(w, "application/json")
		fmt.Fprint(w, message(model))
		return
	}
	f.setType(w, "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("request-id", "req_011differential")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	rc.Flush()
	ev := netchecktest.SSEEvents(model, "end_turn")
	send := func(e ...string) {
		io.WriteString(w, strings.Join(e, "\n\n")+"\n\n")
		rc.Flush()
	}
	wait := func(d time.Duration) bool {
		select {
		case <-time.After(d):
			return true
		case <-r.Context().Done():
		case <-f.quit:
		}
		return false
	}
	switch framing {
	case "empty":
	case "truncated":
		send(ev[:2]...)
		wait(20 * time.Millisecond)
		panic(http.ErrAbortHandler)
	case "error_event":
		send(ev[0])
		wait(20 * time.Millisecond)
		send(`event: error` + "\n" + `data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`)
	case "buffered":
		if wait(3 * time.Second) {
			send(ev...)
		}
	case "stalled":
		send(ev[:2]...)
		wait(time.Hour)
	case "no_stop":
		send(ev[:len(ev)-1]...)
	case "ping_only":
		for wait(time.Second) {
			send(ev[2])
		}
	default:
		send(ev[:3]...)
		if wait(30 * time.Millisecond) {
			send(ev[3:]...)
		}
	}
}

// proxy is an HTTP proxy on 127.0.0.1 that only ever reaches loopback.
type proxyMode int

const (
	proxyOK proxyMode = iota
	proxyAuth
	proxyForbidden
)

type proxy struct {
	ln   net.Listener
	mode proxyMode
	f    *Fake
	mu   sync.Mutex
	live map[net.Conn]bool
	wg   sync.WaitGroup
}

func startProxy(mode proxyMode, f *Fake) (*proxy, error) {
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &proxy{ln: ln, mode: mode, f: f, live: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.serve()
	return p, nil
}

func (p *proxy) port() int { return p.ln.Addr().(*net.TCPAddr).Port }

func (p *proxy) close() {
	p.ln.Close()
	p.mu.Lock()
	for c := range p.live {
		c.Close()
	}
	p.live = nil
	p.mu.Unlock()
	p.wg.Wait()
}

func (p *proxy) track(c net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.live == nil {
		c.Close()
		return false
	}
	p.live[c] = true
	return true
}

func (p *proxy) serve() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if !p.track(c) {
			return
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer c.Close()
			p.handle(c)
		}()
	}
}

func (p *proxy) handle(c net.Conn) {
	c.SetDeadline(time.Now().Add(60 * time.Second))
	br := bufio.NewReader(c)
	req, err := http.ReadRequest(br)
	if err != nil {
		p.f.record(hit{Method: "PROXY", Path: "(not HTTP)", Note: "proxy"})
		return
	}
	status := http.StatusOK
	switch p.mode {
	case proxyForbidden:
		status = http.StatusForbidden
	case proxyAuth:
		if req.Header.Get("Proxy-Authorization") != "Basic "+base64.StdEncoding.EncodeToString([]byte(proxyUser+":"+proxyPass)) {
			status = http.StatusProxyAuthRequired
		}
	}
	hostport := req.Host
	if req.Method != http.MethodConnect && req.URL.Host != "" {
		hostport = req.URL.Host
		if req.URL.Port() == "" {
			hostport = net.JoinHostPort(req.URL.Host, "80")
		}
	}
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		status = http.StatusBadRequest
	} else if ip := net.ParseIP(host); !(ip != nil && ip.IsLoopback()) && host != apiHost && host != otherHost && host != "localhost" {
		status = http.StatusForbidden // never leaves the machine
	}
	p.f.record(hit{Method: "PROXY " + req.Method, Path: hostport, Status: status, Note: "proxy"})
	if status != http.StatusOK {
		resp := &http.Response{StatusCode: status, ProtoMajor: 1, ProtoMinor: 1, Header: http.Header{}}
		if status == http.StatusProxyAuthRequired {
			resp.Header.Set("Proxy-Authenticate", `Basic realm="differential"`)
		}
		resp.Write(c)
		return
	}
	up, err := net.DialTimeout("tcp4", hostport, 5*time.Second)
	if err != nil {
		(&http.Response{StatusCode: http.StatusBadGateway, ProtoMajor: 1, ProtoMinor: 1, Header: http.Header{}}).Write(c)
		return
	}
	if !p.track(up) {
		return
	}
	defer up.Close()
	if req.Method == http.MethodConnect {
		io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
	} else { // a plain request in absolute form: pass it on
		req.Header.Del("Proxy-Authorization")
		req.Header.Del("Proxy-Connection")
		req.RequestURI = ""
		if err := req.Write(up); err != nil {
			return
		}
	}
	c.SetDeadline(time.Time{})
	done := make(chan struct{}, 2)
	go func() { io.Copy(up, br); up.(*net.TCPConn).CloseWrite(); done <- struct{}{} }()
	go func() { io.Copy(c, up); c.Close(); done <- struct{}{} }()
	<-done
	<-done
}
