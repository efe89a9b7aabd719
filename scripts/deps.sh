# Sourced by run.sh and test.sh: installs the Debian/Ubuntu packages Claude
# Medic needs when they are missing, and checks the Go toolchain.

# Packages to build the window (Fyne's cgo parts: OpenGL, X11, Wayland headers).
BUILD_PACKAGES="gcc pkg-config libgl1-mesa-dev xorg-dev libxkbcommon-dev libwayland-dev"
# Packages the tests use: a private D-Bus, a real Secret Service, a virtual
# display, screenshots, the Windows cross-compiler, and tmux (a real terminal
# for claudemedic doctor's questions).
TEST_PACKAGES="dbus dbus-x11 gnome-keyring libsecret-tools xvfb xdotool imagemagick procps gcc-mingw-w64-x86-64 tmux"
# The fleet test's real Prometheus (and promtool), and the Debian package's
# checks: desktop-file-validate and lintian.
TEST_PACKAGES="$TEST_PACKAGES prometheus desktop-file-utils lintian"
# Wine (Debian's 8.0), to run the Windows build in the tests (scripts/test-wine.sh).
WINE_PACKAGES="wine64"

# ensure_packages installs the named Debian packages that are not installed yet.
ensure_packages() {
	local missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if ! command -v apt-get >/dev/null; then
		echo "Claude Medic needs these packages, and this is not a Debian or Ubuntu system: ${missing[*]}" >&2
		echo "Install them with your package manager, then run this again." >&2
		return 1
	fi
	local sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	echo "Installing ${missing[*]} ..." >&2
	$sudo apt-get update -q >/dev/null
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
}

# ensure_go checks that Go 1.26 or newer is on the PATH.
ensure_go() {
	if ! command -v go >/dev/null; then
		for d in /usr/local/go/bin "$HOME/go/bin"; do [ -x "$d/go" ] && PATH="$d:$PATH"; done
	fi
	if ! command -v go >/dev/null; then
		echo "Claude Medic is built with Go 1.26 or newer, and no 'go' is on the PATH." >&2
		echo "Install it from https://go.dev/dl/ (Debian's golang package may be too old), then run this again." >&2
		return 1
	fi
	local v
	v=$(go env GOVERSION | sed 's/^go//')
	if [ "$(printf '%s\n1.26\n' "$v" | sort -V | head -n1)" != "1.26" ]; then
		echo "Claude Medic needs Go 1.26 or newer; this is Go $v. Install a newer one from https://go.dev/dl/." >&2
		return 1
	fi
}
