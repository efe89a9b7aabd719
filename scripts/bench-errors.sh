#!/usr/bin/env bash
# bench-errors.sh: `claudemedic errors --since 1h` with and without 300 MB of
# older transcripts beside the new ones (issue 16: no slower than 3x). The new
# files are the real Claude Code's transcripts of a 401, a 529 and a refused
# port (claudetranscript/testdata), written now; the history is copies of a
# healthy session's transcript, in 30 project folders, modified 2 days ago.
# SESSION_DIRS=1 gives each old session a folder beside its transcript, as
# Claude Code 2.1.332 makes (tool-results/ with a file; a tenth of the
# transcripts are subagents' in subagents/ of the session 30 before).
# Prints the median wall and CPU times of RUNS runs (default 20) of each,
# interleaved, and the peak RSS of one run with the history.
#   scripts/bench-errors.sh    HISTORY_MB=1000 RUNS=10 SESSION_DIRS=1 scripts/bench-errors.sh
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-20} mb=${HISTORY_MB:-300} sessions=${SESSION_DIRS:-0}
tmp=$(mktemp -d /tmp/claudemedic-bench-errors.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/claudemedic" .
td=claudetranscript/testdata
new() { # the new files under $1
	for f in e401_332 e529_332 ref332; do
		mkdir -p "$1/projects/-src-$f"
		python3 - "$td/$f.jsonl" "$1/projects/-src-$f/$f.jsonl" <<'PY'
import re, sys, datetime
s = open(sys.argv[1]).read()
ts = re.findall(r'"timestamp":"([^"]+)"', s)
newest = max(datetime.datetime.fromisoformat(t.replace("Z", "+00:00")) for t in ts)
shift = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=5) - newest
def move(m):
    t = datetime.datetime.fromisoformat(m.group(1).replace("Z", "+00:00")) + shift
    return '"timestamp":"%sZ"' % t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
open(sys.argv[2], "w").write(re.sub(r'"timestamp":"([^"]+)"', move, s))
PY
	done
}
new "$tmp/bare"
new "$tmp/full"
size=$(stat -c %s "$td/ok332.jsonl")
n=$(( mb * 1024 * 1024 / size ))
for i in $(seq 0 $((n - 1))); do
	d="$tmp/full/projects/-home-user-old$((i % 30))"
	s=$(printf '%08d' "$i")-0000-4000-8000-000000000000
	mkdir -p "$d"
	if [ "$sessions" = 1 ] && [ $((i / 30 % 10)) = 9 ]; then
		# A subagent's transcript in the folder of the session before.
		s=$(printf '%08d' $((i - 30)))-0000-4000-8000-000000000000
		mkdir -p "$d/$s/subagents"
		cp "$td/ok332.jsonl" "$d/$s/subagents/agent-a$i.jsonl"
		continue
	fi
	cp "$td/ok332.jsonl" "$d/$s.jsonl"
	if [ "$sessions" = 1 ]; then
		mkdir -p "$d/$s/tool-results"
		echo "a tool's output" >"$d/$s/tool-results/toolu_$i.txt"
	fi
done
find "$tmp/full/projects" -path "$tmp/full/projects/-home-user-old*" -name '*.jsonl' -exec touch -d '2 days ago' {} +
echo "history: $(du -sh "$tmp/full/projects" | cut -f1) in $(find "$tmp/full/projects" -name '*.jsonl' | wc -l) transcripts (the new: 3), $(find "$tmp/full/projects" -mindepth 2 -maxdepth 2 -type d | wc -l) session folders"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# The runs without and with the history interleaved (A B A B ...), so that a
# change of the machine's load meets both alike. Prints the medians in µs:
# wall time without, with, then CPU time (user + system: what the run costs,
# less sensitive to a busy machine) without, with.
time_runs() {
	python3 - "$tmp" "$runs" <<'PY'
import os, resource, subprocess, sys, time
tmp, runs = sys.argv[1], int(sys.argv[2])
res = {"bare": ([], []), "full": ([], [])}
for _ in range(runs):
    for cfg in ("bare", "full"):
        env = dict(os.environ, CLAUDE_CONFIG_DIR=tmp + "/" + cfg, HOME=tmp, XDG_CONFIG_HOME=tmp + "/cfg")
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.monotonic()
        subprocess.run([tmp + "/claudemedic", "errors", "--since", "1h", "--json"], env=env, stdout=subprocess.DEVNULL)
        res[cfg][0].append(time.monotonic() - t0)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        res[cfg][1].append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
med = lambda a: sorted(a)[len(a) // 2]
print(*(int(med(res[c][k]) * 1e6) for k in (0, 1) for c in ("bare", "full")))
PY
}
sync
l0=$(cut -d' ' -f1 /proc/loadavg)
read -r bare full bareCPU fullCPU < <(time_runs)
rows=$(CLAUDE_CONFIG_DIR=$tmp/full HOME=$tmp XDG_CONFIG_HOME=$tmp/cfg "$tmp/claudemedic" errors --since 1h --json | grep -c '"code"' || true)
rss=$( { CLAUDE_CONFIG_DIR=$tmp/full HOME=$tmp XDG_CONFIG_HOME=$tmp/cfg /usr/bin/time -f '%M' "$tmp/claudemedic" errors --since 1h --json >/dev/null || true; } 2>&1 | tail -1)
awk -v r="$runs" -v b="$bare" -v f="$full" -v bc="$bareCPU" -v fc="$fullCPU" -v n="$rows" -v m="$rss" -v l="$l0 to $(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
	printf "errors --since 1h, median of %d runs each, interleaved (load average %s):\n", r, l
	printf "  wall %.0f ms without the history, %.0f ms with it (x%.2f)\n", b/1000, f/1000, f/b
	printf "  CPU  %.0f ms without the history, %.0f ms with it (x%.2f)\n", bc/1000, fc/1000, (bc > 0 ? fc/bc : 0)
	printf "  %d code lines (3 errors and their summary); peak RSS with the history %s KB\n", n, m }'
