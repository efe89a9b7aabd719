#!/usr/bin/env bash
# bench-tray.sh: measures the tray agent on a private desktop (scripts/testenv.sh:
# Xvfb, a private D-Bus, a throwaway HOME) against a healthy fake Claude API:
#   - resident (RSS) and proportional (PSS) memory after IDLE (default 60s) idle,
#     and the CPU time used while idle, for the agent in the one binary
#     (`claudemedic tray`, which links the window toolkit) and for the small
#     agent binary (cmd/claudemedic-agent, which does not);
#   - the same for the small agent binary with its metrics endpoint on
#     (metrics_port), scraped every second while idle;
#   - resident memory after 1,000 monitor cycles against the fake vs after 10;
#   - the reference, in the same run: the bare fyne.io/systray sample
#     (its example/ program, a tray icon and a menu on D-Bus, nothing else).
# The small agent binary runs its checks with the main binary beside it
# (`claudemedic tray --check-once`), as installed. The metrics run is made
# twice more with the agent built as the Makefile's deb target builds it
# (-buildmode=pie: its relocated read-only data becomes private memory), and
# so with CGO_ENABLED=0 (no libc: the agent resolves no name, its check child
# does). CLAUDEMEDIC_SMAPS_DIR=DIR keeps each agent's smaps and the list of
# its binary's resident pages.
# The agent measured is the last process of its tree: `claudemedic tray` hands
# over to claudemedic-agent when it sits beside it, so the one-binary run uses
# CLAUDEMEDIC_ONE_BINARY=1.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
ensure_go
ensure_packages $BUILD_PACKAGES $TEST_PACKAGES
out=$(mktemp -d /tmp/claudemedic-bench.XXXXXX)
trap 'rm -rf "$out"' EXIT
echo "Building claudemedic and claudemedic-agent into $out ..." >&2
go build -o "$out/claudemedic" .
go build -o "$out/claudemedic-agent" ./cmd/claudemedic-agent
go build -o "$out/systray-sample" fyne.io/systray/example
mkdir "$out/deb" "$out/deb-nocgo"
cp "$out/claudemedic" "$out/deb/" && cp "$out/claudemedic" "$out/deb-nocgo/"
debflags=(-trimpath -buildmode=pie -ldflags="-s -w -bindnow") # as the Makefile's deb target
go build "${debflags[@]}" -o "$out/deb/claudemedic-agent" ./cmd/claudemedic-agent
CGO_ENABLED=0 go build "${debflags[@]}" -o "$out/deb-nocgo/claudemedic-agent" ./cmd/claudemedic-agent
ls -l "$out" "$out/deb" "$out/deb-nocgo" >&2
export CLAUDEMEDIC_IDLE="${IDLE:-60s}"

echo "== the reference: the bare fyne.io/systray sample"
CLAUDEMEDIC_AGENT_BARE=1 CLAUDEMEDIC_AGENT_BIN="$out/systray-sample" CLAUDEMEDIC_AGENT_ARGS= \
	scripts/testenv.sh go test -run '^$' -bench '^BenchmarkIdleAgent$' -benchtime 1x -timeout 10m ./app/tray | grep -E '^Benchmark|^ok|FAIL'

echo "== the agent in the one binary: CLAUDEMEDIC_ONE_BINARY=1 claudemedic tray"
CLAUDEMEDIC_ONE_BINARY=1 CLAUDEMEDIC_AGENT_BIN="$out/claudemedic" CLAUDEMEDIC_AGENT_ARGS=tray \
	scripts/testenv.sh go test -run '^$' -bench '^BenchmarkIdleAgent$' -benchtime 1x -timeout 10m ./app/tray | grep -E '^Benchmark|^ok|FAIL'

echo "== the small agent binary: claudemedic-agent"
CLAUDEMEDIC_AGENT_BIN="$out/claudemedic-agent" CLAUDEMEDIC_AGENT_ARGS= \
	scripts/testenv.sh go test -run '^$' -bench '^BenchmarkIdleAgent$' -benchtime 1x -timeout 10m ./app/tray | grep -E '^Benchmark|^ok|FAIL'

echo "== the small agent binary with its metrics endpoint on, scraped every second, watching Claude Code's transcripts"
CLAUDEMEDIC_AGENT_METRICS=1 CLAUDEMEDIC_AGENT_TRANSCRIPTS=1 CLAUDEMEDIC_AGENT_BIN="$out/claudemedic-agent" CLAUDEMEDIC_AGENT_ARGS= \
	scripts/testenv.sh go test -run '^$' -bench '^BenchmarkIdleAgent$' -benchtime 1x -timeout 10m ./app/tray | grep -E '^Benchmark|^ok|FAIL'

for v in deb deb-nocgo; do
	echo "== the same, the agent built as the deb's ($v)"
	CLAUDEMEDIC_AGENT_METRICS=1 CLAUDEMEDIC_AGENT_TRANSCRIPTS=1 CLAUDEMEDIC_AGENT_BIN="$out/$v/claudemedic-agent" CLAUDEMEDIC_AGENT_ARGS= \
		scripts/testenv.sh go test -run '^$' -bench '^BenchmarkIdleAgent$' -benchtime 1x -timeout 10m ./app/tray | grep -E '^Benchmark|^ok|FAIL'
done

echo "== 1,000 monitor cycles against the fake API"
scripts/testenv.sh go test -run '^$' -bench '^BenchmarkMonitorCycles$' -benchtime 1x -timeout 10m ./app/tray | grep -E '^Benchmark|^ok|FAIL'
