#!/usr/bin/env bash
# agree-claude-code.sh: for every netchecktest scenario, run the real Claude
# Code (`claude -p hi`, throwaway HOME, the scenario's ANTHROPIC_BASE_URL,
# NODE_EXTRA_CA_CERTS, proxy and credential) and `claudemedic check --json`
# against the same fake, and print a table: Claude Code's exit and first line,
# the check's verdict and codes, and whether they agree (Claude Code answered
# "Hi" exactly when the verdict is not down). Also prints the request Claude
# Code sent to the healthy fakes. Opt-in, offline, never in CI. It runs in a
# private network namespace (unshare -rnm: loopback only) whose /etc/hosts
# names the fake's hosts, as both resolve through it.
#
#   scripts/agree-claude-code.sh                       # every scenario
#   SCENARIOS=HEALTHY,BETA_REJECTED scripts/agree-claude-code.sh
#   CLAUDE=/path/to/claude AGREE_OUT=table.md scripts/agree-claude-code.sh
set -euo pipefail
cd "$(dirname "$0")/.."
claude=${CLAUDE:-/opt/claude-code/node_modules/.bin/claude}
if [ ! -x "$claude" ]; then
	echo "agree-claude-code.sh: no Claude Code at $claude (set CLAUDE)" >&2
	exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/claudemedic" .
go test -c -tags agree -o "$tmp/agree.test" ./scripts/agree/
cat >"$tmp/hosts" <<'HOSTS'
127.0.0.1 localhost
127.0.0.1 api.claudemedic.test
::1 dual.claudemedic.test
127.0.0.1 dual.claudemedic.test
HOSTS
out=${AGREE_OUT:-$tmp/agree.md}
echo "Claude Code $("$claude" --version 2>/dev/null | head -n1); the fakes on loopback" >&2
export CLAUDE="$claude" CLAUDEMEDIC="$tmp/claudemedic" AGREE_OUT="$out" SCENARIOS="${SCENARIOS:-}"
unshare -rnm bash -c 'ip link set lo up && mount --bind "$1/hosts" /etc/hosts &&
	"$1/agree.test" -test.run "^TestAgreeClaudeCode$" -test.count 1 -test.timeout 90m' _ "$tmp" >"$tmp/log" 2>&1 || {
	cat "$tmp/log" >&2
	exit 1
}
cat "$out"
