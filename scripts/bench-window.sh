#!/usr/bin/env bash
# bench-window.sh [RUNS]: time from process start to the window's first frame,
# under Xvfb. Run it inside scripts/testenv.sh (a private display and HOME):
#
#	scripts/testenv.sh scripts/bench-window.sh
#
# Each run starts `claudemedic window status` with CLAUDEMEDIC_BENCH=1, which
# makes the window print the wall clock when its first frame is painted; the
# script subtracts the time it started the process. It also notes when
# xdotool first sees the window mapped, and the resident memory then. Claude
# Code's settings point at a closed port on 127.0.0.1, so the window's own
# check never leaves the machine. One warm-up run, then RUNS (default 5) timed.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
[ -n "${DISPLAY:-}" ] || { echo "bench-window.sh needs a display: run it under scripts/testenv.sh" >&2; exit 1; }
work=$(mktemp -d /tmp/claudemedic-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "Building ..." >&2
go build -o "$work/claudemedic" .
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_STATE_HOME="$work/home/.local/state" \
	XDG_DATA_HOME="$work/home/.local/share" XDG_CACHE_HOME="$work/home/.cache"
mkdir -p "$HOME/.claude" "$XDG_CACHE_HOME"
printf '{"env": {"ANTHROPIC_BASE_URL": "https://127.0.0.1:9", "ANTHROPIC_API_KEY": "sk-ant-api03-bench-%s"}}\n' \
	"$(head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)" >"$HOME/.claude/settings.json"

ms() { echo "scale=1; ($1 - $2) / 1000000" | bc; }
frames=() maps=()
for i in $(seq 0 "$runs"); do
	log="$work/run$i.log"
	start=$(date +%s%N)
	CLAUDEMEDIC_BENCH=1 "$work/claudemedic" window status 2>"$log" &
	pid=$!
	mapped=""
	for _ in $(seq 1000); do
		if [ -z "$mapped" ] && xdotool search --onlyvisible --name '^Claude Medic$' >/dev/null 2>&1; then
			mapped=$(date +%s%N)
		fi
		grep -q 'first-frame' "$log" && [ -n "$mapped" ] && break
		sleep 0.005
	done
	frame=$(grep -o 'unix_ns=[0-9]*' "$log" | cut -d= -f2 || true)
	rss=$(awk '/VmRSS/ {print $2 " " $3}' "/proc/$pid/status" 2>/dev/null || true)
	kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
	[ -n "$frame" ] && [ -n "$mapped" ] || { echo "run $i: no first frame or no window in 5 s; the window said:" >&2; cat "$log" >&2; exit 1; }
	f=$(ms "$frame" "$start") m=$(ms "$mapped" "$start")
	if [ "$i" -eq 0 ]; then
		echo "warm-up: first frame ${f} ms, mapped ${m} ms"
		continue
	fi
	echo "run $i: first frame ${f} ms, window mapped ${m} ms, RSS ${rss}"
	frames+=("$f") maps+=("$m")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "median of $runs: first frame $(median "${frames[@]}") ms, window mapped $(median "${maps[@]}") ms (target: first frame <= 500 ms)"
