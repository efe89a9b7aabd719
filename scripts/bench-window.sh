#!/usr/bin/env bash
# bench-window.sh [RUNS]: time from process start to the window's first frame,
# under Xvfb, for each locale of LANGS (default "en_US.UTF-8 zh_CN.UTF-8": the
# English and the Chinese window, whose text is drawn with the embedded
# Chinese font), the locales alternating run by run so that a change in the
# machine's load falls on both. Run it inside scripts/testenv.sh (a private
# display and HOME):
#
#	scripts/testenv.sh scripts/bench-window.sh
#
# Each run starts `claudemedic window status` (as the tray agent and the
# command line do; it hands over to claudemedic-window, built beside it, where
# the window is a binary of its own) with CLAUDEMEDIC_BENCH=1, which
# makes the window print the wall clock and the CPU time it has used when its
# first frame is painted; the script subtracts the time it started the
# process. It also notes when xdotool first sees the window mapped, and the
# resident memory then. Claude Code's settings point at a closed port on
# 127.0.0.1, so the window's own check never leaves the machine. The programs
# run in an empty folder, as an installed app does: in the source folder
# Fyne's development builds read FyneApp.toml and decode its icon. One warm-up
# run per locale, then RUNS (default 9) timed per locale; the medians (wall
# and CPU), each as a ratio of the first locale's (the hello world's), and
# the load average before and after: the ratio is what counts, on a machine
# whose load changes.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-9}
# "hello" in LANGS is a Fyne hello world built with the same Fyne
# (app/gui/benchhello), the yardstick of the window's start.
read -r -a langs <<<"${LANGS:-hello en_US.UTF-8 zh_CN.UTF-8}"
[ -n "${DISPLAY:-}" ] || { echo "bench-window.sh needs a display: run it under scripts/testenv.sh" >&2; exit 1; }
work=$(mktemp -d /tmp/claudemedic-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo "Building ..." >&2
go build -o "$work/claudemedic" .
# The window's own binary, beside claudemedic, where there is one:
# `claudemedic window` runs it in its own process (exec: the same process ID).
if [ -d cmd/claudemedic-window ]; then
	go build -tags no_emoji -o "$work/claudemedic-window" ./cmd/claudemedic-window # as make builds it
fi
go build -o "$work/hello" ./app/gui/benchhello
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_STATE_HOME="$work/home/.local/state" \
	XDG_DATA_HOME="$work/home/.local/share" XDG_CACHE_HOME="$work/home/.cache"
mkdir -p "$HOME/.claude" "$XDG_CACHE_HOME" "$work/cwd"
cd "$work/cwd"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '{"env": {"ANTHROPIC_BASE_URL": "https://127.0.0.1:9", "ANTHROPIC_API_KEY": "sk-ant-api03-bench-%s"}}\n' \
	"$(head -c 30 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)" >"$HOME/.claude/settings.json"

ms() { echo "scale=1; ($1 - $2) / 1000000" | bc; }
# ours: the IDs of the window processes this script started (from its folder).
ours() { pgrep -f "^$work/claudemedic" || return 1; }
# stop PID: ends PID, the processes of its group (each run has its own,
# setsid: what the window's check starts after the first frame, Claude Code
# and a login shell, would otherwise run on into the next runs) and the window
# processes this script started.
stop() {
	# shellcheck disable=SC2046 # a list of process IDs
	kill -- -"$1" "$1" $(ours) 2>/dev/null || true
	wait "$1" 2>/dev/null || true
	for _ in $(seq 100); do ours >/dev/null || break; sleep 0.02; done
}
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
declare -A frames maps cpus
for i in $(seq 0 "$runs"); do
	for l in "${langs[@]}"; do
		log="$work/run$i-$l.log"
		start=$(date +%s%N)
		if [ "$l" = hello ]; then
			setsid env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=en_US.UTF-8 "$work/hello" 2>"$log" &
		else
			setsid env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG="$l" CLAUDEMEDIC_BENCH=1 "$work/claudemedic" window status 2>"$log" &
		fi
		pid=$!
		mapped=""
		for _ in $(seq 1000); do
			# It died (its log says why, below), unless it handed the window to a
			# process of its own (a window binary apart: /work/coord/window-binary.md).
			kill -0 "$pid" 2>/dev/null || ours >/dev/null || break
			if [ -z "$mapped" ] && timeout 2 xdotool search --onlyvisible --name '^Claude Medic$' >/dev/null 2>&1; then
				mapped=$(date +%s%N)
			fi
			grep -q 'first-frame' "$log" && [ -n "$mapped" ] && break
			sleep 0.005
		done
		frame=$(grep -o 'unix_ns=[0-9]*' "$log" | cut -d= -f2 || true)
		cpu=$(grep -o 'cpu_ms=[0-9.]*' "$log" | cut -d= -f2 || true)
		wpid=$(grep -o ' pid=[0-9]*' "$log" | cut -d= -f2 || true) # the process that drew the frame
		rss=$(awk '/VmRSS/ {print $2 " " $3}' "/proc/${wpid:-$pid}/status" 2>/dev/null || true)
		stop "$pid"
		if [ -z "$frame" ] || [ -z "$mapped" ]; then
			# Under heavy load GLFW now and then fails to open the display
			# ("PlatformUnavailable"): that run is left out, not the benchmark.
			failed=$((${failed:-0} + 1))
			echo "run $i ($l): no first frame or no window in 5 s (left out); the window said: $(grep -m1 -E 'Cause|error|panic' "$log" || head -n1 "$log")" >&2
			[ "$failed" -le 5 ] || { echo "more than 5 runs failed: stopping" >&2; exit 1; }
			continue
		fi
		f=$(ms "$frame" "$start") m=$(ms "$mapped" "$start")
		if [ "$i" -eq 0 ]; then
			echo "warm-up ($l): first frame ${f} ms, mapped ${m} ms"
			continue
		fi
		echo "run $i ($l): first frame ${f} ms (CPU ${cpu} ms), window mapped ${m} ms, RSS ${rss}"
		frames[$l]+="$f " maps[$l]+="$m " cpus[$l]+="$cpu "
	done
done
first="" firstcpu=""
for l in "${langs[@]}"; do
	# shellcheck disable=SC2086 # the lists are space-separated numbers
	f=$(median ${frames[$l]}) m=$(median ${maps[$l]}) c=$(median ${cpus[$l]}) n=$(wc -w <<<"${frames[$l]}")
	[ -n "$first" ] || first=$f firstcpu=$c
	echo "$l: median of $n: first frame $f ms, window mapped $m ms, CPU at first frame $c ms; first frame $(echo "scale=3; $f / $first" | bc) x ${langs[0]}'s, CPU $(echo "scale=3; $c / $firstcpu" | bc) x (target: the window's first frame within 1.2 x the hello world's)"
done

# The hand-over: with a window open, a second `claudemedic window PAGE` asks it
# to show PAGE and come to the front, and exits. Timed from its start to its
# exit (target: within 200 ms), RUNS times; then exactly one window process
# and one visible window must be left.
log="$work/handover.log"
setsid env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=en_US.UTF-8 CLAUDEMEDIC_BENCH=1 "$work/claudemedic" window status 2>"$log" &
first=$!
for _ in $(seq 500); do grep -q 'first-frame' "$log" && break; sleep 0.01; done
hands=""
for i in $(seq "$runs"); do
	page=settings
	[ $((i % 2)) -eq 0 ] && page=status
	start=$(date +%s%N)
	env -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=en_US.UTF-8 "$work/claudemedic" window "$page" >/dev/null 2>&1 || echo "hand-over $i: the second launch failed" >&2
	hands+="$(ms "$(date +%s%N)" "$start") "
done
sleep 0.2
procs=$(ours | wc -l)
wins=$(xdotool search --onlyvisible --name '^Claude Medic$' 2>/dev/null | wc -l)
stop "$first"
# shellcheck disable=SC2086 # a space-separated list of numbers
echo "hand-over: median of $runs: $(median $hands) ms, the slowest $(printf '%s\n' $hands | sort -n | tail -n1) ms (target: within 200 ms); window processes left: $procs, visible windows: $wins (target: 1 and 1)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
