#!/usr/bin/env bash
# bench-check.sh: how fast the command line is, timed from outside.
#
# 1. `claudemedic check --help` and `claudemedic doctor --help` start-up
#    (claudemedic is the command line: it links neither Fyne nor OpenGL, which
#    only claudemedic-window does), median and worst of RUNS runs each
#    (default 21); the package initialisation before main
#    (GODEBUG=inittrace=1, summed, median), the binary's size and the shared
#    libraries it links.
# 2. The whole `claudemedic check --json` process against a healthy loopback
#    relay (netchecktest's fake, real TLS), against one `curl` of the same
#    streamed POST /v1/messages, interleaved, RUNS runs each: the medians and
#    their ratio (issue 15 asks for at most 1.5), and the CPU time of each.
#    BASE=/path/to/another/claudemedic times that one too, in the same
#    interleaved runs (a build from before a change, say).
# 3. A verdict with every packet dropped: `check --json --timeout T` (TIMEOUT,
#    default 2s) against a loopback port that swallows every SYN, its wall
#    time against T (issue 15: T + 0.5 s at most).
#
#   scripts/bench-check.sh
#   RUNS=41 BIN=/path/to/claudemedic scripts/bench-check.sh   # a binary built elsewhere
#   BASE=/tmp/old/claudemedic scripts/bench-check.sh          # against an older build
#   SKIP_BLACKHOLE=1 scripts/bench-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-21}
tmp=$(mktemp -d)
fakes=()
cleanup() {
	for p in "${fakes[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT
bin=${BIN:-$tmp/claudemedic}
[ -n "${BIN:-}" ] || go build -o "$bin" .
go test -c -tags benchcheck -o "$tmp/serve.test" ./scripts/benchcheck/

now() { date +%s%N; }
median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }
worst() { sort -n | tail -n1; }
ms() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); } # µs to ms

for cmd in check doctor; do
	"$bin" "$cmd" --help >/dev/null 2>&1 || true # warm the page cache
	: >"$tmp/t"
	for _ in $(seq "$runs"); do
		s=$(now)
		"$bin" "$cmd" --help >/dev/null 2>&1 || true
		e=$(now)
		echo $(((e - s) / 1000)) >>"$tmp/t"
	done
	printf 'claudemedic %s --help: median %s ms, worst %s ms over %d runs\n' \
		"$cmd" "$(ms "$(median <"$tmp/t")")" "$(ms "$(worst <"$tmp/t")")" "$runs"
done
# Package initialisation before main: inittrace's clock times, summed.
inits() {
	: >"$tmp/i"
	for _ in $(seq "$runs"); do
		GODEBUG=inittrace=1 "$1" check --help 2>&1 >/dev/null | awk '/^init / {s += $5} END {printf "%d\n", s * 1000}' >>"$tmp/i"
	done
	printf '%s: package initialisation %s ms (median of %d), %s MB, links %s\n' "$2" "$(ms "$(median <"$tmp/i")")" "$runs" \
		"$(awk -v b="$(stat -c %s "$1")" 'BEGIN {printf "%.1f", b / 1e6}')" \
		"$({ readelf -d "$1" 2>/dev/null || true; } | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | paste -sd' ' -)"
}
inits "$bin" claudemedic
[ -z "${BASE:-}" ] || inits "$BASE" "BASE $BASE"

# A fake of scenario $1, serving until its standard input closes (fd $2);
# its base URL and CA file in $tmp/srv.$1.
serve() {
	mkfifo "$tmp/in.$1"
	BENCH_SCENARIO=$1 BENCH_OUT="$tmp/srv.$1" "$tmp/serve.test" -test.run '^TestServe$' -test.timeout 0 <"$tmp/in.$1" >"$tmp/serve.$1.log" 2>&1 &
	fakes+=($!)
	eval "exec $2>\"\$tmp/in.\$1\""
	for _ in $(seq 100); do [ -s "$tmp/srv.$1" ] && break; sleep 0.1; done
}
serve HEALTHY 8
url=$(sed -n 1p "$tmp/srv.HEALTHY")
ca=$(sed -n 2p "$tmp/srv.HEALTHY")
key=$(sed -n 's/^[[:space:]]*TestKey[[:space:]]*= "\(.*\)"$/\1/p' netcheck/netchecktest/netchecktest.go)
home="$tmp/home"
mkdir -p "$home"
printf '%s\n' "$key" >"$tmp/key"
# curl's request: the same streamed POST /v1/messages the check sends to a relay.
printf '%s' '{"model":"claude-sonnet-4-5","max_tokens":1,"stream":true,"messages":[{"role":"user","content":"hi"}]}' >"$tmp/body"
printf 'x-api-key: %s\n' "$key" >"$tmp/headers"
check() {
	env -i PATH="$PATH" HOME="$home" LANG=C.UTF-8 "${1:-$bin}" check --json --base-url "$url" --ca-file "$ca" --key-stdin <"$tmp/key" >"$tmp/check.json" 2>&1 || true
}
fetch() {
	curl -sS --cacert "$ca" -H @"$tmp/headers" -H 'anthropic-version: 2023-06-01' -H 'content-type: application/json' \
		--data-binary @"$tmp/body" "$url/v1/messages" >/dev/null
}
check
fetch # warm both
verdict=$(sed -n 's/.*"verdict": *"\([a-z]*\)".*/\1/p' "$tmp/check.json" | head -n1)
: >"$tmp/c"
: >"$tmp/u"
: >"$tmp/b"
[ -z "${BASE:-}" ] || check "$BASE"
for _ in $(seq "$runs"); do
	s=$(now)
	check
	e=$(now)
	echo $(((e - s) / 1000)) >>"$tmp/c"
	s=$(now)
	fetch
	e=$(now)
	echo $(((e - s) / 1000)) >>"$tmp/u"
	if [ -n "${BASE:-}" ]; then
		s=$(now)
		check "$BASE"
		e=$(now)
		echo $(((e - s) / 1000)) >>"$tmp/b"
	fi
done
c=$(median <"$tmp/c")
u=$(median <"$tmp/u")
printf 'check --json (verdict %s): median %s ms; curl: median %s ms; ratio %s over %d runs each (load average %s)\n' \
	"${verdict:-?}" "$(ms "$c")" "$(ms "$u")" "$(awk -v c="$c" -v u="$u" 'BEGIN {printf "%.2f", c / u}')" "$runs" "$(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${BASE:-}" ]; then
	b=$(median <"$tmp/b")
	printf 'BASE check --json: median %s ms; ratio to curl %s\n' "$(ms "$b")" "$(awk -v c="$b" -v u="$u" 'BEGIN {printf "%.2f", c / u}')"
fi
# CPU time (user + system), which a loaded machine changes less than wall
# time: bash's `times` in a subshell, whose second line is its children's.
cpu() { # µs of CPU the command "$@" took
	(
		"$@"
		times
	) | tail -n1 | awk '{ split($1, u, "[ms]"); split($2, s, "[ms]"); printf "%d\n", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * 1000000 }'
}
: >"$tmp/cc"
: >"$tmp/uc"
for _ in $(seq "$runs"); do
	cpu check >>"$tmp/cc"
	cpu fetch >>"$tmp/uc"
done
printf 'CPU time (user+sys): check median %s ms, curl median %s ms\n' "$(ms "$(median <"$tmp/cc")")" "$(ms "$(median <"$tmp/uc")")"

if [ -z "${SKIP_BLACKHOLE:-}" ]; then
	# Every packet dropped: netchecktest's TCP_TIMEOUT fake, a loopback port
	# whose SYNs go unanswered.
	serve TCP_TIMEOUT 7
	target=$(sed -n 1p "$tmp/srv.TCP_TIMEOUT")
	limit=${TIMEOUT:-2s}
	s=$(now)
	env -i PATH="$PATH" HOME="$home" LANG=C.UTF-8 "$bin" check --json --base-url "$target" --ca-file "$ca" --proxy none --timeout "$limit" --key-stdin <"$tmp/key" >"$tmp/bh.json" 2>&1 || true
	e=$(now)
	codes=$(grep -o '"code": *"[A-Z_]*"' "$tmp/bh.json" | sed 's/.*"\([A-Z_]*\)"/\1/' | paste -sd, -)
	printf 'every packet dropped (%s, --timeout %s): %s ms, codes %s\n' "$target" "$limit" "$(ms $(((e - s) / 1000)))" "${codes:-none}"
fi
