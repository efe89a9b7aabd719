#!/usr/bin/env bash
# test-wine.sh: runs Claude Medic's Windows build under Wine. It installs
# Debian's wine64 (8.0) when missing, cross-builds claudemedic.exe,
# claudemedic-window.exe, claudemedic-agent.exe and the Windows test binaries
# of the packages with Windows code, builds the test-only bcryptprimitives.dll (Go's Windows
# runtime needs its ProcessPrng; Wine 8 lacks it), and runs scripts/wine's
# tests on a private desktop, in a throwaway Wine prefix, against the fake
# Claude API. test.sh calls it; it also runs alone. The window's screenshots
# are kept in bin/wine/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
ensure_go
ensure_packages $WINE_PACKAGES xvfb xdotool imagemagick gcc-mingw-w64-x86-64

out=bin/wine
mkdir -p "$out/tests"
export GOOS=windows GOARCH=amd64
CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc go build -o "$out/claudemedic.exe" .
CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc go build -tags no_emoji -o "$out/claudemedic-window.exe" ./cmd/claudemedic-window
CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc go build -o "$out/claudemedic-agent.exe" ./cmd/claudemedic-agent
for pkg in claudecfg claudecache app/tray/instance app/tray/autostart app/tray; do
	CGO_ENABLED=0 go test -c -o "$out/tests/$(basename "$pkg").test.exe" "./$pkg"
done
unset GOOS GOARCH
x86_64-w64-mingw32-gcc -shared -O2 -s -o "$out/bcryptprimitives.dll" scripts/wine/dll/processprng.c -ladvapi32

go vet -tags wine ./scripts/wine
scripts/testenv.sh go test -tags wine -count=1 -timeout 20m ./scripts/wine -args -bin "$PWD/$out" -shots "$PWD/$out"

cat <<'NOTE'
Not tested under Wine (README.md, "How Windows is tested"): the tray icon and
its menu; a toast being shown (Wine has none: its failure is logged, the agent
lives); the Credential Manager's window and Windows' own storage of the key; a
pipe taken first by another user; an app environment older than the registry's
(unit-tested); the portable unit tests as Windows binaries (os.RemoveAll fails
under Wine 8, which also leaves cache undo's emptied trash folder behind).
NOTE
