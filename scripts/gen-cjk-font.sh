#!/usr/bin/env bash
# gen-cjk-font.sh: rebuilds the Chinese font the window embeds
# (assets/cjkfont/files): Noto Sans CJK SC, Regular and Bold, from Debian's
# fonts-noto-cjk, subset by pyftsubset (Debian's fonttools) to the characters
# the repository's texts use (assets/cjkfont/charset scans every Go file and
# the translations), with the font's licence, the SIL Open Font License, beside
# it. Run it after adding or changing a Chinese text; the test
# TestSubsetCarriesEveryText in assets/cjkfont fails until you do.
#
# fonttools is installed when missing. fonts-noto-cjk is used where it is
# installed; otherwise its package is downloaded and unpacked in a temporary
# folder, so this machine's fonts stay as they were.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/deps.sh
ensure_go
ensure_packages fonttools
out=assets/cjkfont/files
work=$(mktemp -d /tmp/claudemedic-cjkfont.XXXXXX)
trap 'rm -rf "$work"' EXIT

fail() { echo "gen-cjk-font.sh: $*" >&2; exit 1; }

fonts=/usr/share/fonts/opentype/noto copyright=/usr/share/doc/fonts-noto-cjk/copyright
version=$(dpkg-query -W -f='${Version}' fonts-noto-cjk 2>/dev/null || true)
if [ ! -f "$fonts/NotoSansCJK-Regular.ttc" ] || [ ! -f "$fonts/NotoSansCJK-Bold.ttc" ]; then
	echo "Downloading fonts-noto-cjk (unpacked in $work, not installed) ..." >&2
	get() { (cd "$work" && apt-get download -q fonts-noto-cjk 2>&1 | grep -v 'unsandboxed' >&2) && compgen -G "$work/fonts-noto-cjk_*.deb" >/dev/null; }
	if ! get; then
		sudo=""
		[ "$(id -u)" -ne 0 ] && sudo="sudo"
		$sudo apt-get update -q >/dev/null
		get || fail "could not download Debian's fonts-noto-cjk (is a Debian mirror reachable?)"
	fi
	deb=$(echo "$work"/fonts-noto-cjk_*.deb)
	version=$(dpkg-deb -f "$deb" Version)
	dpkg-deb -x "$deb" "$work/deb"
	fonts="$work/deb/usr/share/fonts/opentype/noto" copyright="$work/deb/usr/share/doc/fonts-noto-cjk/copyright"
fi
for f in "$fonts/NotoSansCJK-Regular.ttc" "$fonts/NotoSansCJK-Bold.ttc" "$copyright"; do
	[ -f "$f" ] || fail "$f is missing from fonts-noto-cjk $version"
done

# pyftsubset's own Python, which has fontTools (another python3 may be first on the PATH).
pyftsubset=$(command -v pyftsubset) || fail "pyftsubset is not on the PATH (Debian's fonttools package)"
python=$(head -n1 "$pyftsubset" | sed 's/^#! *//')
# fontnumber TTC FAMILY: the index of FAMILY in the collection TTC.
fontnumber() {
	"$python" - "$1" "$2" <<'EOF'
import sys
from fontTools.ttLib import TTCollection
for i, f in enumerate(TTCollection(sys.argv[1]).fonts):
    if f["name"].getDebugName(1) == sys.argv[2]:
        print(i)
        break
else:
    sys.exit(sys.argv[2] + " is not in " + sys.argv[1])
EOF
}

go run assets/cjkfont/gen.go . "$work/chars.txt"
mkdir -p "$out"
for weight in Regular Bold; do
	ttc="$fonts/NotoSansCJK-$weight.ttc"
	n=$(fontnumber "$ttc" "Noto Sans CJK SC")
	# No hinting (Fyne's rasteriser does not hint) and no vertical metrics
	# (the window writes horizontally): a third smaller.
	pyftsubset "$ttc" --font-number="$n" --text-file="$work/chars.txt" --no-hinting \
		--drop-tables+=vhea,vmtx,VORG --output-file="$work/NotoSansCJKsc-$weight-subset.otf"
	mv "$work/NotoSansCJKsc-$weight-subset.otf" "$out/"
	echo "$out/NotoSansCJKsc-$weight-subset.otf: $(stat -c %s "$out/NotoSansCJKsc-$weight-subset.otf") bytes" >&2
done

# The licence: the font's own copyright and trademark notices, then the OFL
# text of Debian's copyright file (one space of indent, " ." for a blank line).
{
	"$python" - "$fonts/NotoSansCJK-Regular.ttc" "$(fontnumber "$fonts/NotoSansCJK-Regular.ttc" "Noto Sans CJK SC")" <<'EOF'
import sys
from fontTools.ttLib import TTCollection
name = TTCollection(sys.argv[1]).fonts[int(sys.argv[2])]["name"]
print(name.getDebugName(0))
print(name.getDebugName(7))
print()
EOF
	awk '/^License: SIL-1.1$/ {after = 1; next}
		after && /^ / {on = 1}
		{after = 0}
		on && !/^ / {exit}
		on {sub(/^ /, ""); if ($0 == ".") $0 = ""; print}' "$copyright"
} >"$work/OFL.txt"
grep -q "SIL OPEN FONT LICENSE Version 1.1" "$work/OFL.txt" || fail "no SIL Open Font License text found in $copyright"
mv "$work/OFL.txt" "$out/OFL.txt"

cat >"$out/README.txt" <<EOF
Noto Sans CJK SC, Regular and Bold, as the Chinese window embeds them
(package claudemedic/assets/cjkfont). Licensed under the SIL Open Font License
1.1: OFL.txt.

Made by scripts/gen-cjk-font.sh from Debian's fonts-noto-cjk $version
(NotoSansCJK-Regular.ttc and NotoSansCJK-Bold.ttc, the "Noto Sans CJK SC"
font of each) with pyftsubset $(dpkg-query -W -f='${Version}' fonttools 2>/dev/null), keeping
$(wc -m <"$work/chars.txt") characters: those the repository's texts use, ASCII and Latin-1.
Run that script again after changing a Chinese text.
EOF
echo "Wrote $out: $(ls "$out" | tr '\n' ' ')" >&2
