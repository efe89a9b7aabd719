#!/usr/bin/env bash
# run.sh: builds Claude Medic and launches it (the tray agent and the
# window), installing the system packages the build needs first. Arguments are
# passed on: `scripts/run.sh check` runs the command line instead.
#
# It says what it does, a line per stage with the time so far, and during the
# long compile a line every 20 seconds with how many packages are done. The
# first build (an empty Go build cache) compiles the window toolkit and its C
# parts, for bin/claudemedic-window: 6 min 20 s measured on two busy cores
# (240 s of CPU time; docs/benchmarks.md); later
# builds take seconds. RUN_BUILD_ONLY=1 builds and stops (for timing the build).
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$(date +%s)
say() { printf '[%4ss] %s\n' "$(($(date +%s) - t0))" "$*" >&2; }

say "Checking Go and the system packages the build needs ..."
. scripts/deps.sh
ensure_go
ensure_packages $BUILD_PACKAGES

say "Downloading the Go modules (once) ..."
go mod download

# The first build: the Go build cache lacks the window toolkit's compiled
# driver (glfw, C and Go), which is most of the time the build takes.
if [ "$(go list -f '{{.Stale}}' fyne.io/fyne/v2/internal/driver/glfw 2>/dev/null)" != false ]; then
	say "First build: Go compiles the window toolkit (Fyne, with its C parts) once, about 6 minutes on two cores; later builds take seconds."
fi

say "Compiling claudemedic-window (the window) ..."
# go build -v names each package as it is compiled: count them, and say so
# every 20 seconds, so a long first build is not silent.
log=$(mktemp /tmp/claudemedic-build.XXXXXX)
trap 'rm -f "$log"' EXIT
go build -v -tags no_emoji -o bin/claudemedic-window ./cmd/claudemedic-window 2>"$log" &
build=$!
last=$(date +%s)
while kill -0 "$build" 2>/dev/null; do
	sleep 1
	if [ $(($(date +%s) - last)) -ge 20 ]; then
		last=$(date +%s)
		n=$(grep -vc '^#' "$log" || true)
		if [ "$n" -eq 0 ]; then say "  still building (linking) ..."; else say "  still compiling: $n packages done (the last: $(grep -v '^#' "$log" | tail -n1); the C parts of the window toolkit take longest)"; fi
	fi
done
if ! wait "$build"; then
	grep -v '^[a-zA-Z0-9._/-]*$' "$log" >&2 || cat "$log" >&2
	say "The build failed (above)."
	exit 1
fi
# The command line, and the tray agent's own small binary (neither links the
# window toolkit): `claudemedic` hands the window over to claudemedic-window
# and the all-day agent to claudemedic-agent, beside it.
say "Compiling claudemedic and claudemedic-agent ..."
go build -o bin/claudemedic .
go build -o bin/claudemedic-agent ./cmd/claudemedic-agent
say "Built bin/claudemedic, bin/claudemedic-window and bin/claudemedic-agent."
if [ -n "${RUN_BUILD_ONLY:-}" ]; then
	exit 0
fi
say "Starting claudemedic $* ..."
exec bin/claudemedic "$@"
