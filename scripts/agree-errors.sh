#!/usr/bin/env bash
# agree-errors.sh: the real Claude Code fails three requests on loopback (a
# 401, a 529 and a refused port, CLAUDE_CODE_MAX_RETRIES=1), each in a project
# folder of its own, in a throwaway HOME, in a private network namespace
# (unshare -rnm: loopback only). Then Claude Medic reads what Claude Code wrote
# down: `claudemedic errors --json` and `errors` (the three failed requests
# with their codes, request-ids and folders), `claudemedic doctor --last`
# (the newest, diagnosed), and the tray agent on a private desktop with a
# probe that passes (the icon amber, the menu line, the tooltip, the
# notification). Finally it greps every output and every file Claude Medic
# wrote for the prompt it gave Claude Code: it must appear nowhere.
# Opt-in, offline, never in CI.
#
#   scripts/agree-errors.sh
#   CLAUDE=/opt/claude-code-2.1.330/node_modules/.bin/claude scripts/agree-errors.sh
set -euo pipefail
cd "$(dirname "$0")/.."
claude=${CLAUDE:-/opt/claude-code/node_modules/.bin/claude}
if [ ! -x "$claude" ]; then
	echo "agree-errors.sh: no Claude Code at $claude (set CLAUDE)" >&2
	exit 2
fi
tmp=$(mktemp -d /tmp/claudemedic-agree-errors.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/claudemedic" .
mkdir -p "$tmp/home" "$tmp/src/app401" "$tmp/src/app529" "$tmp/src/app_refused"
prompt="agree-errors-canary-prompt-$$-please-say-hi"

# The fake API: plain HTTP on loopback, 401 or 529 to every request, with a request-id.
cat >"$tmp/fake.py" <<'PY'
import http.server, json, sys, itertools
mode, portfile = sys.argv[1], sys.argv[2]
count = itertools.count(1)
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length") or 0))
        n = next(count)
        if mode == "401":
            body = {"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}}
        else:
            body = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
        b = json.dumps(body).encode()
        self.send_response(int(mode))
        self.send_header("content-type", "application/json")
        self.send_header("request-id", "req_agree%s_%02d" % (mode, n))
        self.send_header("content-length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)
    do_GET = do_POST
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(portfile, "w").write(str(s.server_address[1]))
s.serve_forever()
PY

cat >"$tmp/inside.sh" <<'INSIDE'
set -euo pipefail
tmp=$1 claude=$2 prompt=$3
ip link set lo up
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config XDG_STATE_HOME=$tmp/home/.local/state XDG_DATA_HOME=$tmp/home/.local/share
unset CLAUDE_CONFIG_DIR HTTPS_PROXY https_proxy HTTP_PROXY http_proxy ANTHROPIC_AUTH_TOKEN NODE_EXTRA_CA_CERTS
export CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 CLAUDE_CODE_MAX_RETRIES=1 API_TIMEOUT_MS=8000
export ANTHROPIC_API_KEY=sk-ant-api03-agreeErrorsFakeKey0000000000000000000000000000000000000000000000000000000000000000-AAAA
run() { # run NAME PORT: claude -p in $tmp/src/NAME against 127.0.0.1:PORT
	(cd "$tmp/src/$1" && ANTHROPIC_BASE_URL=http://127.0.0.1:$2 timeout 120 "$claude" -p "$prompt" >"$tmp/claude-$1.out" 2>&1 || true)
	echo "claude in src/$1 (127.0.0.1:$2): $(head -c 300 "$tmp/claude-$1.out" | tr '\n' ' ')"
}
for mode in 401 529; do
	python3 "$tmp/fake.py" $mode "$tmp/port$mode" & echo $! >"$tmp/pid$mode"
done
for mode in 401 529; do for _ in $(seq 50); do [ -s "$tmp/port$mode" ] && break; sleep 0.1; done; done
refused=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
run app401 "$(cat "$tmp/port401")"
sleep 1.2
run app529 "$(cat "$tmp/port529")"
sleep 1.2
run app_refused "$refused"
kill "$(cat "$tmp/pid401")" "$(cat "$tmp/pid529")" 2>/dev/null || true

echo
echo '$ claudemedic errors --json'
"$tmp/claudemedic" errors --json >"$tmp/errors.json" && code=0 || code=$?
cat "$tmp/errors.json"; echo "(exit $code)"
echo
echo '$ claudemedic errors'
"$tmp/claudemedic" errors >"$tmp/errors.txt" && code=0 || code=$?
cat "$tmp/errors.txt"; echo "(exit $code)"
echo
# doctor --last in the refused port's folder, with its ANTHROPIC_BASE_URL: as
# the person who just saw the error would run it there.
echo '$ cd src/app_refused && ANTHROPIC_BASE_URL=http://127.0.0.1:'"$refused"' claudemedic doctor --last --timeout 5s'
(cd "$tmp/src/app_refused" && ANTHROPIC_BASE_URL=http://127.0.0.1:$refused NO_COLOR=1 "$tmp/claudemedic" doctor --last --timeout 5s) >"$tmp/doctor.txt" 2>&1 && code=0 || code=$?
cat "$tmp/doctor.txt"; echo "(exit $code)"
(cd "$tmp/src/app_refused" && ANTHROPIC_BASE_URL=http://127.0.0.1:$refused "$tmp/claudemedic" doctor --last --json --timeout 5s) >"$tmp/doctor.json" 2>&1 || true
echo "doctor --last --json: symptom $(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["symptom"], "· findings", [f["code"] for f in d["report"]["findings"]], "· from", d["claude_code_error"]["code"], d["claude_code_error"]["project"])' "$tmp/doctor.json")"
INSIDE

echo "Claude Code $("$claude" --version 2>/dev/null | head -n1), failing on loopback in a private network namespace" >&2
unshare -rnm bash "$tmp/inside.sh" "$tmp" "$claude" "$prompt" | tee "$tmp/report.txt"

echo
echo '== the tray agent on a private desktop, its probe passing (a healthy fake), over these transcripts'
CLAUDEMEDIC_AGREE_HOME=$tmp/home scripts/testenv.sh go test -tags agree -run '^TestAgreeErrorsTray$' -count 1 -v ./app/tray/ 2>&1 |
	grep -E '^(icon|menu|tooltip|notifications):|^(ok|FAIL|---)' | tee -a "$tmp/report.txt"

echo
echo '== privacy: the prompt given to Claude Code, in the transcripts and anywhere Claude Medic printed or wrote'
echo "in Claude Code's transcripts: $(grep -rl -- "$prompt" "$tmp/home/.claude/projects" | wc -l) file(s)"
leaks=$( (cat "$tmp/report.txt" "$tmp/errors.json" "$tmp/errors.txt" "$tmp/doctor.txt" "$tmp/doctor.json"; find "$tmp/home/.config" "$tmp/home/.local" -type f -exec cat {} + 2>/dev/null) | grep -c -- "$prompt" || true)
echo "in Claude Medic's outputs and files: $leaks"
[ "$leaks" = 0 ]
