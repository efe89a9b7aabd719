#!/usr/bin/env bash
# run.sh: builds Claude Medic and launches it (the tray agent and the
# window), installing the system packages the build needs first. Arguments are
# passed on: `scripts/run.sh check` runs the command line instead.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
ensure_go
ensure_packages $BUILD_PACKAGES
echo "Building Claude Medic (the first build compiles the window toolkit: a few minutes) ..." >&2
go build -o bin/claudemedic .
# The tray agent's own small binary (no window toolkit): `claudemedic` hands
# the all-day agent over to it when it sits beside it.
go build -o bin/claudemedic-agent ./cmd/claudemedic-agent
exec bin/claudemedic "$@"
