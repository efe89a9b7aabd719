#!/usr/bin/env bash
# test-fresh-debian.sh [DIR]: runs the README's test command, scripts/test.sh,
# on a fresh Debian 12 (bookworm) with nothing but Go installed, as a new user
# would: a minimal debootstrap in DIR (default /var/tmp/claudemedic-fresh),
# this machine's Go copied in, and a clean clone of the current branch's last
# commit (uncommitted changes are not in it). It runs in a chroot with its own
# PID and mount namespaces, so neither this machine's processes (a running
# `claude`) nor its fonts (/usr/share/fonts, ~/.fonts, which Fyne reads
# directly) are visible. Opt-in, for a release or a change to test.sh or
# deps.sh; not part of test.sh. Needs root, debootstrap (installed when
# missing) and Debian's mirror; it takes 15-20 minutes cold.
#
# The one thing copied from this machine besides Go is how it reaches the
# network: /etc/resolv.conf, the CA certificates of /usr/local/share/ca-certificates
# (a proxy's CA) with Debian's ca-certificates package (which Debian's
# installer puts on every machine), and GOPROXY, GONOSUMDB and GOFLAGS from
# `go env`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
ensure_go
[ "$(id -u)" -eq 0 ] || { echo "test-fresh-debian.sh needs root (debootstrap, chroot, mounts)" >&2; exit 1; }
ensure_packages debootstrap git
dir=${1:-/var/tmp/claudemedic-fresh}
base="$dir/base" run="$dir/run"
mkdir -p "$dir"

if [ ! -x "$base/bin/bash" ]; then
	echo "debootstrap bookworm into $base ..." >&2
	rm -rf "$base"
	debootstrap --variant=minbase bookworm "$base" http://deb.debian.org/debian >"$dir/debootstrap.log" 2>&1 ||
		{ tail -20 "$dir/debootstrap.log" >&2; exit 1; }
fi
echo "a fresh copy of it in $run ..." >&2
rm -rf "$run"
cp -a "$base" "$run"
cp -a "$(go env GOROOT)" "$run/usr/local/go"
cp /etc/resolv.conf "$run/etc/resolv.conf"
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
	mkdir -p "$run/usr/local/share/ca-certificates"
	cp /usr/local/share/ca-certificates/*.crt "$run/usr/local/share/ca-certificates/"
fi
git clone -q --branch "$(git rev-parse --abbrev-ref HEAD)" "file://$PWD" "$run/root/claudemedic"
echo "fonts visible in the chroot before test.sh: $(find "$run/usr/share/fonts" "$run/usr/local/share/fonts" -type f 2>/dev/null | wc -l)" >&2

cat >"$run/root/fresh.sh" <<'EOF'
set -euo pipefail
mount -t proc proc /proc
mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
apt-get update -q >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ca-certificates >/dev/null
cd /root/claudemedic
echo "processes visible: $(ls /proc | grep -c '^[0-9]')"
echo "fonts visible: $(find /usr/share/fonts /usr/local/share/fonts /root/.fonts /root/.local/share/fonts -type f 2>/dev/null | wc -l)"
start=$(date +%s)
status=0
scripts/test.sh || status=$?
echo "fonts visible after test.sh installed its packages: $(find /usr/share/fonts /usr/local/share/fonts -type f 2>/dev/null | sed 's|.*/||' | sort | tr '\n' ' ')"
echo "scripts/test.sh exited $status after $(( $(date +%s) - start )) s"
exit $status
EOF
start=$(date +%s)
status=0
# The mounts live in the new mount namespace only: nothing is left mounted here.
unshare --mount --pid --fork --uts sh -c 'mount --bind /dev "$0/dev" && exec chroot "$0" "$@"' "$run" /usr/bin/env -i \
	HOME=/root TERM=dumb LANG=C.UTF-8 PATH=/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	GOPROXY="$(go env GOPROXY)" GONOSUMDB="$(go env GONOSUMDB)" GOFLAGS="$(go env GOFLAGS)" \
	bash /root/fresh.sh || status=$?
echo "fresh Debian 12: scripts/test.sh exited $status; wall time with the packages $(( $(date +%s) - start )) s" >&2
exit $status
