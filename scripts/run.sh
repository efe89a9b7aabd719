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
exec bin/claudemedic "$@"
