#!/usr/bin/env bash
# walk-timeout-fix.sh: which files the wizard's timeout fix passes through
# (issue 17's walk), measured with coverage counters rather than by reading:
# scripts/walk/main.go calls doctor as the window does (Remedies when the
# wizard shows the result, Remedies.Apply when the fix's button is pressed),
# built with -cover over the whole module; the counters are cleared before
# each phase, so each list is the Claude Medic files whose code ran in it.
# The window's own files come on top (wizard.go for the decision; for the
# click, fixes.go and services.go's background). Then scripts/walk/order
# follows the click's calls in order (static calls whose site ran), to count
# the returns: calls into a package the walk had already entered and left.
# Every Claude Medic file counts (libraries and the standard library do
# not). The walk runs as a person does: run as root, the walk binary runs as
# nobody (setpriv), because under sudo atomicWrite also passes through
# claudecfg/write_unix.go (keepOwner keeps the owner of the person's file),
# which the script names apart.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d /tmp/walk.XXXXXX)
trap 'rm -rf "$out"' EXIT
go build -cover -covermode=atomic -coverpkg=claudemedic/...,command-line-arguments -o "$out/walk" scripts/walk/main.go
mkdir -p "$out/rest"
as_person=()
if [ "$(id -u)" = 0 ]; then
	chmod 0777 "$out" "$out/rest"
	as_person=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
GOCOVERDIR="$out/rest" "${as_person[@]}" "$out/walk" "$out" >/dev/null
for phase in decide apply; do
	go tool covdata textfmt -i="$out/$phase" -o="$out/$phase.txt"
	awk 'NR>1 && $NF>0 {split($1,a,":"); print a[1]}' "$out/$phase.txt" | grep -v '/scripts/walk/main.go' | sort -u >"$out/$phase.files"
	echo "$phase: $(wc -l <"$out/$phase.files") files"
	sed 's/^claudemedic\//  /' "$out/$phase.files"
done
# The click, in order: the window's button (app/gui/fixes.go) runs
# rem.Apply off the UI goroutine (app/gui/services.go's background); from
# there scripts/walk/order follows the calls that ran in the apply phase.
echo "click: app/gui/fixes.go -> app/gui/services.go (background) -> app/gui/fixes.go -> doctor"
go run scripts/walk/order/main.go "$out/apply.txt"
n=$(wc -l <"$out/apply.files")
echo "click total: $((n + 2)) files (app/gui/fixes.go, app/gui/services.go and the $n of the apply phase); under sudo one more, claudecfg/write_unix.go (keepOwner)"
