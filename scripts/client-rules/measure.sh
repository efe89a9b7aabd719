#!/usr/bin/env bash
# measure.sh: how the real Claude Code times out, retries and follows
# redirects (docs/client-rules.md). Each line runs `claude -p hi` once against
# fake.py on loopback (a throwaway HOME, offline, a fake key) and prints the
# exit status, the seconds, when each request came (seconds since the fake
# started; stream=… is the request's "stream") and Claude Code's first words.
# Opt-in, never in CI.
#
#   scripts/client-rules/measure.sh                 # every case below
#   scripts/client-rules/measure.sh 'ttfb:5 2000 1'  # MODE API_TIMEOUT_MS CLAUDE_CODE_MAX_RETRIES
#   CLAUDE=/opt/claude-code-2.1.330/node_modules/.bin/claude scripts/client-rules/measure.sh
# Modes: ok, ttfb:S (the answer after S seconds), firstonly:S (only the first
# request slow), pings:S / silent:S (message_start at once, then S seconds of
# pings / of silence), status:N (an error N; 429 with retry-after: 1),
# redirect:N (to /redirected/…, which answers), reset.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
claude=${CLAUDE:-/opt/claude-code/node_modules/.bin/claude}
one() {
	local mode=$1 tmo=$2 retries=$3 d port fp s e rc
	d=$(mktemp -d)
	port=$((20000 + RANDOM % 20000))
	python3 "$here/fake.py" "$port" "$mode" "$d/log" 2>/dev/null &
	fp=$!
	sleep 0.4
	mkdir -p "$d/home"
	s=$(date +%s.%N)
	env -i PATH=/usr/bin:/bin HOME="$d/home" CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 ANTHROPIC_BASE_URL="http://127.0.0.1:$port" \
		ANTHROPIC_API_KEY=sk-ant-api03-fake-fake-fake-fake-fake-fake-fake-fake-fake-fake-AAAA API_TIMEOUT_MS="$tmo" CLAUDE_CODE_MAX_RETRIES="$retries" \
		timeout 120 "$claude" -p hi </dev/null >"$d/out" 2>&1
	rc=$?
	e=$(date +%s.%N)
	kill "$fp" 2>/dev/null
	printf '%s API_TIMEOUT_MS=%s retries=%s | exit %s, %.1f s | requests: %s| %s\n' "$mode" "$tmo" "$retries" "$rc" "$(echo "$e - $s" | bc)" \
		"$(awk '{printf "%s %s%s(%s) ", $1, ($2=="GET"?"GET ":""), ($3 ~ /redirected/ ? "→" : ""), $4}' "$d/log")" "$(head -c 200 "$d/out" | tr '\n' ' ')"
	rm -rf "$d"
}
if [ $# -gt 0 ]; then
	for c in "$@"; do one $c; done
	exit
fi
while read -r m t r; do one "$m" "$t" "$r"; done <<'CASES'
ttfb:5 2000 0
ttfb:5 2000 1
ttfb:5 2000 2
ttfb:3 5000 1
pings:6 2000 1
silent:6 2000 1
firstonly:5 2000 1
status:401 2000 2
status:429 2000 2
status:529 2000 2
status:500 2000 2
status:502 2000 2
status:503 2000 2
status:504 2000 2
status:408 2000 2
status:409 2000 2
status:400 2000 2
status:403 2000 2
status:404 2000 2
status:413 2000 2
reset 2000 2
redirect:301 2000 1
redirect:302 2000 1
redirect:307 2000 1
redirect:308 2000 1
CASES
