package trayicon

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/png"
	"testing"
)

func TestEveryStateHasItsOwnIcons(t *testing.T) {
	seen := map[string]State{}
	for _, s := range States {
		for _, tc := range []struct {
			b    []byte
			size int
		}{{PNG(s), 32}, {PNG2x(s), 64}} {
			img, err := png.Decode(bytes.NewReader(tc.b))
			if err != nil {
				t.Fatalf("%s: %v", s, err)
			}
			if img.Bounds() != image.Rect(0, 0, tc.size, tc.size) {
				t.Errorf("%s: %v, want %d px", s, img.Bounds(), tc.size)
			}
			// The corner is transparent, the centre opaque.
			if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
				t.Errorf("%s: the corner is not transparent", s)
			}
			if _, _, _, a := img.At(tc.size/4, tc.size/2).RGBA(); a != 0xffff {
				t.Errorf("%s: the disc is not opaque", s)
			}
		}
		if other, dup := seen[string(PNG(s))]; dup {
			t.Errorf("%s and %s have the same icon", s, other)
		}
		seen[string(PNG(s))] = s
		checkICO(t, s, ICO(s))
	}
	if !bytes.Equal(PNG("nonsense"), PNG(Unknown)) {
		t.Error("an unknown state does not give the Unknown icon")
	}
}

// checkICO reads the ICO directory and decodes each PNG entry.
func checkICO(t *testing.T, s State, b []byte) {
	t.Helper()
	var hdr [3]uint16
	if err := binary.Read(bytes.NewReader(b), binary.LittleEndian, &hdr); err != nil || hdr[1] != 1 || hdr[2] < 4 {
		t.Fatalf("%s.ico: header %v, %v", s, hdr, err)
	}
	for i := range int(hdr[2]) {
		e := b[6+16*i:]
		size := int(e[0])
		n, off := binary.LittleEndian.Uint32(e[8:]), binary.LittleEndian.Uint32(e[12:])
		img, err := png.Decode(bytes.NewReader(b[off : off+n]))
		if err != nil || img.Bounds().Dx() != size {
			t.Errorf("%s.ico entry %d (%d px): %v, %v", s, i, size, img, err)
		}
	}
}
