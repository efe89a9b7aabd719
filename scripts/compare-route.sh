#!/usr/bin/env bash
# compare-route.sh: opt-in, not CI. Runs the real Claude Code CLI against the
# fake API for the route scenarios (IPv6 that resets, a middlebox that resets
# large ClientHellos, NODE_EXTRA_CA_CERTS in DER or missing, a percent-encoded
# proxy password, https_proxy against HTTPS_PROXY, a proxy saved in the settings
# against the shell's https_proxy, NO_PROXY forms) and prints,
# per case, our verdict, Claude Code's message and whether they agree.
# It runs in a private network namespace (unshare -rnm: loopback only) whose
# /etc/hosts names the fake's hosts, as Claude Code resolves through it.
#   CLAUDE=/path/to/claude scripts/compare-route.sh
set -euo pipefail
cd "$(dirname "$0")/.."
claude=${CLAUDE:-/opt/claude-code/node_modules/.bin/claude}
[ -x "$claude" ] || { echo "compare-route.sh: no Claude Code CLI at $claude (set CLAUDE)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/netchecktest.test" ./netcheck/netchecktest/
cat >"$tmp/hosts" <<'HOSTS'
127.0.0.1 localhost
127.0.0.1 api.claudemedic.test
::1 dual.claudemedic.test
127.0.0.1 dual.claudemedic.test
HOSTS
export CLAUDEMEDIC_REAL_CLAUDE="$claude"
unshare -rnm bash -c 'ip link set lo up && mount --bind "$1/hosts" /etc/hosts && cd "$1" &&
	./netchecktest.test -test.run "^TestRealClaude(Route|SavedProxy)$" -test.v' _ "$tmp" | grep -v '^=== RUN\|^--- \|^PASS$'
