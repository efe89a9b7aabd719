#!/usr/bin/env bash
# test-deb.sh: builds the Debian package (make deb) and checks it as a user's
# machine would meet it: desktop-file-validate on its .desktop entry, lintian
# on the package (clean but for the overrides it ships, each with its
# reason), every shared library the binaries link provided by a declared
# dependency (and none of OpenGL or X11 linked by the command line), then
# dpkg -i, the installed `claudemedic check --help`, `claudemedic window`
# handing over to claudemedic-window, and `claudemedic-agent` for a second on
# a private desktop, and dpkg --purge,
# after which no file of it is left. Installing needs root: CI runs as root;
# anyone else gets a loud skip.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
	printf '\n!!!!!!!!!!\n!!! SKIPPING the Debian package test: it installs the package, so it needs root (CI runs it as root).\n!!!!!!!!!!\n\n' >&2
	exit 0
fi
. scripts/deps.sh
ensure_go
ensure_packages $BUILD_PACKAGES $TEST_PACKAGES

fail() {
	echo "test-deb: $*" >&2
	exit 1
}
if dpkg-query -W -f='${Status}' claudemedic 2>/dev/null | grep -q "install ok installed"; then
	fail "a claudemedic package is installed already; remove it first (dpkg --purge claudemedic)"
fi

version=$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml)
deb="bin/dist/claudemedic_${version}_amd64.deb"
make deb >/dev/null
[ -f "$deb" ] || fail "make deb made no $deb"
echo "built $deb ($(du -h "$deb" | cut -f1))"

work=$(mktemp -d /tmp/claudemedic-deb.XXXXXX)
trap 'dpkg --purge claudemedic >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
dpkg-deb -x "$deb" "$work/root"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$work/contents"

# The file list: the three binaries, the entry, every hicolor icon, the copyright.
for f in /usr/bin/claudemedic /usr/bin/claudemedic-window /usr/bin/claudemedic-agent /usr/share/applications/io.github.claudemedic.desktop \
	/usr/share/doc/claudemedic/copyright /usr/share/doc/claudemedic/changelog.gz /usr/share/man/man1/claudemedic.1.gz \
	/usr/share/man/man1/claudemedic-window.1.gz /usr/share/man/man1/claudemedic-agent.1.gz; do
	grep -qx "$f" "$work/contents" || fail "the package lacks $f"
done
for n in 16 24 32 48 64 128 256 512; do
	grep -qx "/usr/share/icons/hicolor/${n}x${n}/apps/io.github.claudemedic.png" "$work/contents" || fail "the package lacks the ${n}x${n} icon"
done
echo "contents: ok ($(grep -vc '/$' "$work/contents") files)"

validate=$(desktop-file-validate "$work/root/usr/share/applications/io.github.claudemedic.desktop" 2>&1) ||
	fail "desktop-file-validate: $validate"
[ -z "$validate" ] || fail "desktop-file-validate has remarks (hints too): $validate"
echo "desktop-file-validate: clean"

# Every library the binaries link comes from a package the .deb depends on.
depends=$(dpkg-deb -f "$deb" Depends)
for bin in claudemedic claudemedic-window claudemedic-agent; do
	for lib in $(readelf -d "$work/root/usr/bin/$bin" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
		owner=$(dpkg -S "*/$lib" 2>/dev/null | head -n1 | cut -d: -f1)
		[ -n "$owner" ] || fail "$bin links $lib, which no installed package provides"
		case ", $depends," in
		*", $owner,"* | *", $owner "*) ;;
		*) fail "$bin links $lib (package $owner), which Depends ($depends) does not name" ;;
		esac
	done
done
# The command line starts quickly because only the window links the window
# toolkit's libraries.
for bin in claudemedic claudemedic-agent; do
	if readelf -d "$work/root/usr/bin/$bin" | grep -E 'Shared library: \[lib(GL|X11|wayland)'; then
		fail "$bin links OpenGL, X11 or Wayland: only claudemedic-window may"
	fi
done
echo "shared libraries: each from a declared dependency; OpenGL, X11 and Wayland only in claudemedic-window"

if command -v lintian >/dev/null; then
	# lintian warns about running as root: run it as nobody, on a copy nobody
	# can read, from a folder nobody can enter (lintian goes back to where it
	# started, and a clone under /root is closed to nobody).
	cp "$deb" "$work/check.deb" && chmod 755 "$work" && chmod 644 "$work/check.deb"
	(cd "$work" && runuser -u nobody -- env HOME="$work" lintian --info --display-experimental --pedantic \
		--fail-on error,warning,info,pedantic "$work/check.deb")
	echo "lintian: clean (overrides with their reasons in packaging/lintian-overrides)"
else
	echo "lintian: not installed, not run"
fi

# Install: what a fresh system holds before, then dpkg -i.
watched="/usr/bin /usr/share/applications /usr/share/icons/hicolor /usr/share/doc /usr/share/man/man1 /usr/share/lintian/overrides /etc"
# Caches the desktop's triggers rebuild (icon-theme.cache, mimeinfo.cache) belong to those triggers.
snapshot() { find $watched -xdev 2>/dev/null | grep -v -e '/icon-theme\.cache$' -e '/mimeinfo\.cache$' | sort; }
snapshot >"$work/before"
dpkg -i "$deb" >/dev/null || fail "dpkg -i $deb failed (a dependency missing? apt-get install -f)"
[ "$(dpkg-query -W -f='${Status}' claudemedic)" = "install ok installed" ] || fail "dpkg does not see claudemedic installed"
echo "dpkg -i: ok"

out=$(/usr/bin/claudemedic check --help 2>&1) || fail "the installed claudemedic check --help failed: $out"
grep -q "Usage: claudemedic check" <<<"$out" || fail "the installed claudemedic check --help printed: $out"
echo "claudemedic check --help: ok"

# `claudemedic window` hands over to the installed claudemedic-window: asked
# for a page that does not exist, the window's own usage line, status 64.
status=0
out=$(env LANG=C /usr/bin/claudemedic window no-such-page 2>&1) || status=$?
[ "$status" -eq 64 ] && grep -q "Usage: claudemedic window" <<<"$out" ||
	fail "the installed claudemedic window no-such-page did not reach claudemedic-window (exit $status): $out"
echo "claudemedic window: hands over to claudemedic-window"

# The agent for a second on a private desktop: once it says it started (its
# log), it must still run a second later and stop cleanly on SIGINT. Timed
# from its start, not from its launch: a machine that stalls while it starts
# is no fault of the package.
status=0
scripts/testenv.sh sh -c '
	log="$XDG_STATE_HOME/claudemedic/agent.log"
	/usr/bin/claudemedic-agent & pid=$!
	waited=0
	until grep -q "tray agent started" "$log" 2>/dev/null; do
		if ! kill -0 "$pid" 2>/dev/null; then wait "$pid"; echo "it exited ($?) before it started"; cat "$log"; exit 1; fi
		if [ "$waited" -ge 300 ]; then echo "it did not say it started within 30 s"; kill "$pid"; exit 1; fi
		waited=$((waited + 1)); sleep 0.1
	done
	sleep 1
	if ! kill -0 "$pid" 2>/dev/null; then wait "$pid"; echo "it exited ($?) within a second of starting"; cat "$log"; exit 1; fi
	kill -INT "$pid"; wait "$pid"; s=$?
	echo "it stopped with exit status $s"; cat "$log"; exit "$s"' >"$work/agent.log" 2>&1 || status=$?
if [ "$status" -ne 0 ]; then
	cat "$work/agent.log" >&2
	fail "the installed claudemedic-agent did not run for a second and stop cleanly on SIGINT (exit $status)"
fi
echo "claudemedic-agent: ran for a second and stopped cleanly"

dpkg --purge claudemedic >/dev/null
snapshot >"$work/after"
if ! diff -u "$work/before" "$work/after" >"$work/left"; then
	cat "$work/left" >&2
	fail "dpkg --purge left files behind (or removed others): see above"
fi
if ls /var/lib/dpkg/info/claudemedic.* >/dev/null 2>&1; then
	fail "dpkg still holds claudemedic's records: $(ls /var/lib/dpkg/info/claudemedic.*)"
fi
echo "dpkg --purge: nothing left behind"
echo "Debian package: ok"
