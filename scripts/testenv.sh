#!/usr/bin/env bash
# testenv.sh COMMAND...: runs COMMAND on a private desktop of its own: a
# private D-Bus session bus, a real gnome-keyring Secret Service unlocked with a
# throwaway password, and an Xvfb display, all in a throwaway HOME. Nothing of
# the real user's session, keychain or files is used. It sets
# CLAUDEMEDIC_TEST_DESKTOP=1 so tests that need these parts fail, not skip,
# when one is missing.
set -euo pipefail
if [ "${CLAUDEMEDIC_TESTENV_INNER:-}" != 1 ]; then
	. "$(dirname "$0")/deps.sh"
	ensure_packages dbus gnome-keyring xvfb # its own parts, for a script that runs it alone
	export CLAUDEMEDIC_TESTENV_INNER=1
	exec dbus-run-session -- "$0" "$@" 2> >(grep -v 'Failed to set fd limit' >&2)
fi
root=$(mktemp -d /tmp/claudemedic-testenv.XXXXXX)
export GOCACHE="${GOCACHE:-$(go env GOCACHE)}" GOMODCACHE="${GOMODCACHE:-$(go env GOMODCACHE)}" GOPATH="${GOPATH:-$(go env GOPATH)}"
export HOME="$root/home" XDG_RUNTIME_DIR="$root/run"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_STATE_HOME="$HOME/.local/state" XDG_CACHE_HOME="$HOME/.cache"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# The machine's locale is not the tests': Fyne reads it once, at start-up,
# before any test can set its own.
unset LC_ALL LC_MESSAGES LANGUAGE
export LANG=C.UTF-8
unset ANTHROPIC_API_KEY ANTHROPIC_AUTH_TOKEN ANTHROPIC_BASE_URL HTTPS_PROXY https_proxy HTTP_PROXY http_proxy NO_PROXY no_proxy NODE_EXTRA_CA_CERTS CLAUDE_CONFIG_DIR

cleanup() {
	[ -n "${xvfb_pid:-}" ] && kill "$xvfb_pid" 2>/dev/null
	pkill -u "$(id -u)" -f "gnome-keyring-daemon.*$root" 2>/dev/null || true
	rm -rf "$root"
}
trap cleanup EXIT

# The Secret Service: gnome-keyring, its login collection unlocked.
eval "$(printf 'throwaway-test-password' | gnome-keyring-daemon --unlock --components=secrets --daemonize --control-directory="$XDG_RUNTIME_DIR/keyring")"
export CLAUDEMEDIC_TEST_KEYRING_PASSWORD=throwaway-test-password

# A virtual display for the window's smoke test, on a display number Xvfb
# picks free (-displayfd): a number picked at random could be another run's.
# It writes the number to a file, which, unlike a pipe, it cannot outlive.
: >"$root/display"
Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3>"$root/display" >/dev/null 2>"$root/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 300); do
	[ "$(wc -l <"$root/display")" -ge 1 ] && break
	if ! kill -0 "$xvfb_pid" 2>/dev/null; then
		echo "testenv.sh: Xvfb did not start:" >&2
		cat "$root/xvfb.log" >&2
		exit 1
	fi
	sleep 0.1
done
if [ "$(wc -l <"$root/display")" -lt 1 ]; then
	echo "testenv.sh: Xvfb named no display within 30 s" >&2
	exit 1
fi
export DISPLAY=":$(head -n1 "$root/display")"

export CLAUDEMEDIC_TEST_DESKTOP=1
"$@"
