#!/usr/bin/env bash
# agree-credentials.sh: confirms, with the real Claude Code CLI, that the
# credential `claudemedic check` says Claude Code sends is the one it sends.
# Opt-in, offline, never run by CI. For each set-up (a throwaway HOME with a
# saved login, variables, an apiKeyHelper…) it runs `claudemedic check --json`
# and `claude -p hi` against one logging TLS server on 127.0.0.1, and compares
# the credential headers each sent (masked as Claude Medic masks keys) and
# what each said. Every secret is made up for the run.
#
#   CLAUDE=/opt/claude-code/node_modules/.bin/claude scripts/agree-credentials.sh
set -euo pipefail
cd "$(dirname "$0")/.."
claude=${CLAUDE:-/opt/claude-code/node_modules/.bin/claude}
[ -x "$claude" ] || { echo "Claude Code not found at $claude (set CLAUDE=…)" >&2; exit 2; }
for tool in openssl python3 go; do
	command -v "$tool" >/dev/null || { echo "$tool is needed" >&2; exit 2; }
done

work=$(mktemp -d)
server_pid=
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

# A throwaway CA and a certificate for 127.0.0.1 (Claude Code trusts the CA
# through NODE_EXTRA_CA_CERTS, Claude Medic through --ca-file).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/ca.key" -out "$work/ca.pem" \
	-days 1 -subj "/CN=agree-credentials CA" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/leaf.key" -out "$work/leaf.csr" -subj "/CN=127.0.0.1" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$work/ext.cnf"
openssl x509 -req -in "$work/leaf.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial -out "$work/leaf.pem" \
	-days 1 -extfile "$work/ext.cnf" 2>/dev/null

# The logging server: any POST /v1/messages gets a short healthy answer
# (streamed or not); every request's credential headers go to the log.
cat >"$work/server.py" <<'EOF'
import http.server, json, socketserver, ssl, sys
cert, log = sys.argv[1], sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_GET(self): self.answer()
    def do_POST(self): self.answer()
    def answer(self):
        n = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(n) if n else b""
        try: req = json.loads(body or b"{}")
        except ValueError: req = {}
        h = {k.lower(): v for k, v in self.headers.items()}
        with open(log, "a") as f:
            f.write(json.dumps({"path": self.path, "ua": h.get("user-agent", ""), "authorization": h.get("authorization"),
                                "x-api-key": h.get("x-api-key"), "beta": h.get("anthropic-beta", "")}) + "\n")
        if self.command == "POST" and self.path.split("?")[0] == "/v1/messages":
            model = req.get("model", "m")
            if req.get("stream"):
                ev = [("message_start", {"type": "message_start", "message": {"id": "msg_1", "type": "message", "role": "assistant", "model": model, "content": [], "stop_reason": None, "usage": {"input_tokens": 1, "output_tokens": 1}}}),
                      ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
                      ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi"}}),
                      ("content_block_stop", {"type": "content_block_stop", "index": 0}),
                      ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None}, "usage": {"output_tokens": 1}}),
                      ("message_stop", {"type": "message_stop"})]
                out, ctype = "".join(f"event: {e}\ndata: {json.dumps(d)}\n\n" for e, d in ev).encode(), "text/event-stream"
            else:
                out, ctype = json.dumps({"id": "msg_1", "type": "message", "role": "assistant", "model": model, "content": [{"type": "text", "text": "Hi"}], "stop_reason": "end_turn", "usage": {"input_tokens": 1, "output_tokens": 1}}).encode(), "application/json"
            self.send_response(200)
        else:
            out, ctype = b'{"type":"error","error":{"type":"not_found_error","message":"Not found"}}', "application/json"
            self.send_response(404)
        self.send_header("content-type", ctype); self.send_header("request-id", "req_agree")
        self.send_header("content-length", str(len(out))); self.end_headers(); self.wfile.write(out)
class S(socketserver.ThreadingMixIn, http.server.HTTPServer): daemon_threads = True
srv = S(("127.0.0.1", 0), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(cert + "/leaf.pem", cert + "/leaf.key")
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print(srv.server_address[1], flush=True)
srv.serve_forever()
EOF
python3 "$work/server.py" "$work" "$work/log.jsonl" >"$work/port" &
server_pid=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
base="https://127.0.0.1:$port"

go build -o "$work/claudemedic" .

key=sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-KEY1
oauth=sk-ant-oat01-BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB-TOK1
login=sk-ant-oat01-LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL-LOG1
gateway=gateway-token-GGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG
helperkey=sk-ant-api03-HHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHHH-HLP1

home=
newhome() { home=$(mktemp -d "$work/home.XXXX"); mkdir -p "$home/.claude" "$home/project"; }
savelogin() { # scopes
	printf '{"claudeAiOauth":{"accessToken":"%s","refreshToken":"sk-ant-ort01-RRRR","expiresAt":4102444800000,"scopes":%s,"subscriptionType":"max"}}' \
		"$login" "${1:-[\"user:inference\",\"user:profile\"]}" >"$home/.claude/.credentials.json"
}
helper() { python3 -c 'import json,sys; print(json.dumps({"apiKeyHelper": sys.argv[1]}))' "$1" >"$home/.claude/settings.json"; }

# compare NAME ENV...: run both with the set-up in $home, print one row.
results="$work/results.txt"
compare() {
	local name=$1
	shift
	local env=(env -i PATH=/usr/bin:/bin HOME="$home" USER=tester TERM=dumb LANG=C ANTHROPIC_BASE_URL="$base" "$@")
	: >"$work/log.jsonl"
	(cd "$home/project" && "${env[@]}" "$work/claudemedic" check --json --ca-file "$work/ca.pem" --proxy none --timeout 10s) \
		>"$work/medic.json" 2>"$work/medic.err" || true
	# Claude Medic sends Claude Code's own user agent: the requests are told
	# apart by when they came, not by who they say they are.
	mv "$work/log.jsonl" "$work/medic.jsonl" && : >"$work/log.jsonl"
	(cd "$home/project" && "${env[@]}" NODE_EXTRA_CA_CERTS="$work/ca.pem" CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 \
		CLAUDE_CODE_MAX_RETRIES=0 API_TIMEOUT_MS=8000 timeout 60 "$claude" -p hi) >"$work/claude.out" 2>&1 || true
	python3 - "$name" "$work/medic.json" "$work/medic.jsonl" "$work/log.jsonl" "$work/claude.out" >>"$results" <<'EOF'
import json, sys
name, medic, medic_log, log, said = sys.argv[1:6]
def mask(s):  # netcheck.MaskKey
    show = len(s) // 3; tail = min(4, show // 4); head = min(12, show - tail)
    return s[:head] + "…" + (s[len(s) - tail:] if tail else "")
def sent(req):
    if req is None: return "no request"
    out = []
    a, k = req.get("authorization"), req.get("x-api-key")
    if a is not None: out.append("Bearer " + (mask(a[7:]) if len(a) > 7 else "(empty)"))
    if k is not None: out.append("x-api-key " + (mask(k) if k.strip() else "(empty)"))
    if "oauth-2025-04-20" in req.get("beta", ""): out.append("+oauth beta")
    return ", ".join(out) or "no credential"
def requests(path): return [json.loads(l) for l in open(path) if l.strip()]
cc = next((r for r in requests(log) if r["path"].startswith("/v1/messages")), None)
cm = next((r for r in requests(medic_log) if r["path"].startswith("/v1/messages")), None)
r = json.load(open(medic))
t = r["target"]
codes = [f["code"] for f in r.get("findings", []) if f["code"] in ("KEY_MISSING", "KEY_HELPER_FAILED", "AUTH_CONFLICT", "KEY_OVERRIDES_LOGIN")]
winner = t.get("key_label") or "none"
text = open(said).read().strip().replace("\n", " ")[:90]
ccs, cms = sent(cc), sent(cm)
if "KEY_MISSING" in codes: agree = "Not logged in" in text
elif "KEY_HELPER_FAILED" in codes: agree = "apiKeyHelper failed" in text
else: agree = ccs == cms
print(f"| {name} | {winner}; {', '.join(codes) or '-'} | {cms} | {ccs} | {text} | {'yes' if agree else 'NO'} |")
EOF
}

echo "| set-up | Claude Medic: winner; findings | Claude Medic sent | Claude Code sent | Claude Code printed | agree |" >"$results"
echo "|---|---|---|---|---|---|" >>"$results"

newhome; savelogin; compare "login file only"
newhome; savelogin '["user:profile","org:create_api_key"]'; compare "login without user:inference (Console login)"
newhome; echo 'not json' >"$home/.claude/.credentials.json"; compare "login file not JSON"
newhome; compare "CLAUDE_CODE_OAUTH_TOKEN only" CLAUDE_CODE_OAUTH_TOKEN="$oauth"
newhome; compare "ANTHROPIC_AUTH_TOKEN + ANTHROPIC_API_KEY" ANTHROPIC_AUTH_TOKEN="$gateway" ANTHROPIC_API_KEY="$key"
newhome; savelogin; compare "stale ANTHROPIC_API_KEY + login" ANTHROPIC_API_KEY="$key"
newhome; savelogin; compare "CLAUDE_CODE_OAUTH_TOKEN + login" CLAUDE_CODE_OAUTH_TOKEN="$oauth"
newhome; helper "echo $helperkey"; compare "apiKeyHelper only"
newhome; helper "echo $helperkey"; compare "apiKeyHelper + ANTHROPIC_API_KEY" ANTHROPIC_API_KEY="$key"
newhome; helper "echo $helperkey"; compare "apiKeyHelper + ANTHROPIC_AUTH_TOKEN" ANTHROPIC_AUTH_TOKEN="$gateway"
newhome; helper "echo 'error: SSO session expired' >&2; exit 1"; savelogin; compare "apiKeyHelper failing (exit 1) + login"
newhome; helper "echo 'Vault: logged in as tester (token valid 1h)'; echo $helperkey"; compare "apiKeyHelper with a banner line"
newhome; printf '{"primaryApiKey":"%s"}' "$key" >"$home/.claude.json"; compare "Console /login key (primaryApiKey) only"
newhome; printf '{"primaryApiKey":"%s"}' "$key" >"$home/.claude.json"; savelogin; compare "Console key + claude.ai login"
newhome; printf '{"primaryApiKey":"%s"}' "$helperkey" >"$home/.claude.json"; compare "Console key + ANTHROPIC_AUTH_TOKEN" ANTHROPIC_AUTH_TOKEN="$gateway"

cat "$results"
! grep -q '| NO |$' "$results"
