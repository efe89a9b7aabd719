#!/usr/bin/env bash
# kill-writers.sh [N]: the opt-in figure of issue 17 (not run in CI). Kills a
# writer of Claude Code's settings with SIGKILL at N random points (default
# 1,000): every time the file must be a whole version, and after one more
# write no temporary file may be left, beside the settings or among their
# backups. It runs claudecfg's TestKilledWriterLeavesOldOrNew with
# CLAUDEMEDIC_KILLS=N in a throwaway HOME (testenv.sh) and prints its count.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000}"
CLAUDEMEDIC_KILLS="$n" scripts/testenv.sh go test -count=1 -v -timeout 30m \
	-run '^TestKilledWriterLeavesOldOrNew$' ./claudecfg | grep -E 'runs:|^(--- |ok|FAIL)'
