#!/usr/bin/env bash
# walk-timeout-fix.sh: which files the wizard's timeout fix passes through
# (issue 17's walk), measured with coverage counters rather than by reading:
# scripts/walk/main.go calls doctor as the window does (Remedies when the
# wizard shows the result, Remedies.Apply when the fix's button is pressed),
# built with -cover over the whole module; the counters are cleared before
# each phase, so each list is the Claude Medic files whose code ran in it.
# The window's own two files (wizard.go, fixes.go) come on top.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d /tmp/walk.XXXXXX)
trap 'rm -rf "$out"' EXIT
go build -cover -covermode=atomic -coverpkg=claudemedic/...,command-line-arguments -o "$out/walk" scripts/walk/main.go
mkdir -p "$out/rest"
GOCOVERDIR="$out/rest" "$out/walk" "$out" >/dev/null
for phase in decide apply; do
	go tool covdata textfmt -i="$out/$phase" -o="$out/$phase.txt"
	awk 'NR>1 && $NF>0 {split($1,a,":"); print a[1]}' "$out/$phase.txt" | grep -v '/scripts/walk/main.go' | sort -u >"$out/$phase.files"
	echo "$phase: $(wc -l <"$out/$phase.files") files"
	sed 's/^claudemedic\//  /' "$out/$phase.files"
done
