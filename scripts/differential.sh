#!/usr/bin/env bash
# differential.sh: generate set-ups (scripts/differential/setup.go: a seed
# picks a few of some twenty dimensions to move off their healthy default),
# serve each from one configurable fake on loopback, run the real Claude
# Code (`claude -p hi`) and `claudemedic check --json` (and `--stream`) on
# it, and write a Markdown report: agreement overall and by dimension value,
# and every disagreement. They agree when Claude Code answers (exit 0,
# prints the fake's "Hi") exactly when the verdict is not down. Opt-in,
# offline, never in CI: it runs in a private network namespace (unshare
# -rnm: loopback only) whose /etc/hosts names the fake's hosts.
#
#   scripts/differential.sh                          # 500 set-ups, seed 1
#   scripts/differential.sh -count 100 -seed 7       # or DIFF_COUNT=100 DIFF_SEED=7
#   scripts/differential.sh -only "17,40-45"         # these set-ups again
#   scripts/differential.sh -count 3000 -only "relay=strict_system delay=7s"
#                                                    # generated set-ups that have all of these
#   scripts/differential.sh -claude /opt/claude-code-2.1.330/node_modules/.bin/claude -count 250
#
# DIFF_OUT (the report, default scripts/differential/out/differential-VERSION.md), DIFF_JSONL (every
# result, one JSON a line; a re-run with the same Claude Code and seed keeps
# what it holds and runs the rest), DIFF_PAR (set-ups at once, 4), DIFF_CAP
# (Claude Code's wall clock cap in seconds, 25: a run that hits it counts as
# failing), DIFF_STREAM=0 (skip the --stream run).
set -euo pipefail
while [ $# -gt 0 ]; do # flags, the same as the variables
	case $1 in
	-only) DIFF_ONLY=$2; shift 2 ;;
	-seed) DIFF_SEED=$2; shift 2 ;;
	-count) DIFF_COUNT=$2; shift 2 ;;
	-par) DIFF_PAR=$2; shift 2 ;;
	-cap) DIFF_CAP=$2; shift 2 ;;
	-out) DIFF_OUT=$2; shift 2 ;;
	-jsonl) DIFF_JSONL=$2; shift 2 ;;
	-claude) CLAUDE=$2; shift 2 ;;
	-nostream) DIFF_STREAM=0; shift ;;
	*) echo "differential.sh: unknown argument $1 (see the comment at the top)" >&2; exit 64 ;;
	esac
done
cd "$(dirname "$0")/.."
claude=${CLAUDE:-/opt/claude-code/node_modules/.bin/claude}
if [ ! -x "$claude" ]; then
	echo "differential.sh: no Claude Code at $claude (set CLAUDE)" >&2
	exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/claudemedic" .
go test -c -tags differential -o "$tmp/differential.test" ./scripts/differential/
cat >"$tmp/hosts" <<'HOSTS'
127.0.0.1 localhost
127.0.0.1 api.claudemedic.test
127.0.0.1 other.claudemedic.test
HOSTS
version=$("$claude" --version 2>/dev/null | awk '{print $1; exit}')
export CLAUDE="$claude" CLAUDEMEDIC="$tmp/claudemedic"
export DIFF_OUT=$(realpath -m "${DIFF_OUT:-scripts/differential/out/differential-$version.md}")
export DIFF_JSONL=$(realpath -m "${DIFF_JSONL:-scripts/differential/out/differential-$version.jsonl}")
export DIFF_SEED=${DIFF_SEED:-1} DIFF_COUNT=${DIFF_COUNT:-500} DIFF_PAR=${DIFF_PAR:-4} DIFF_CAP=${DIFF_CAP:-25}
export DIFF_ONLY=${DIFF_ONLY:-} DIFF_STREAM=${DIFF_STREAM:-1}
export DIFF_MEDIC="$(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet 2>/dev/null || echo '+changes')"
echo "Claude Code $version; seed $DIFF_SEED, $DIFF_COUNT set-ups; report $DIFF_OUT" >&2
unshare -rnm bash -c 'ip link set lo up && mount --bind "$1/hosts" /etc/hosts &&
	"$1/differential.test" -test.run "^TestDifferential$" -test.count 1 -test.timeout 6h' _ "$tmp" >"$tmp/log" || {
	cat "$tmp/log" >&2
	exit 1
}
sed -n '1,12p' "$DIFF_OUT"
