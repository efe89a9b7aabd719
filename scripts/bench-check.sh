#!/usr/bin/env bash
# bench-check.sh: how fast `claudemedic check --help` and `claudemedic doctor
# --help` start (the command-line paths must not initialise Fyne or OpenGL),
# median and worst of RUNS runs each (default 21).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-21}
bin=$(mktemp -d)/claudemedic
trap 'rm -rf "$(dirname "$bin")"' EXIT
go build -o "$bin" .
for cmd in check doctor; do
	"$bin" "$cmd" --help >/dev/null 2>&1 || true # warm the page cache
	times=()
	for _ in $(seq "$runs"); do
		s=$(date +%s%N)
		"$bin" "$cmd" --help >/dev/null 2>&1 || true
		e=$(date +%s%N)
		times+=($(((e - s) / 1000)))
	done
	sorted=$(printf '%s\n' "${times[@]}" | sort -n)
	median=$(echo "$sorted" | sed -n "$(((runs + 1) / 2))p")
	worst=$(echo "$sorted" | tail -n1)
	printf 'claudemedic %s --help: median %d.%03d ms, worst %d.%03d ms over %d runs\n' \
		"$cmd" $((median / 1000)) $((median % 1000)) $((worst / 1000)) $((worst % 1000)) "$runs"
done
