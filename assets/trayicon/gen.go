//go:build ignore

// gen draws the tray icons: a disc per state with a glyph that tells the
// states apart without colour (✓ ok, ! degraded, × down, ••• checking,
// ? unknown), as PNG at 32 px (the D-Bus tray on Linux), 64 px (macOS menu
// bar on Retina) and one ICO per state holding 16, 20, 24, 32, 40, 48 and
// 64 px (Windows). Run it with `go generate ./assets/trayicon`.
package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"

	"golang.org/x/image/vector"
)

type pt struct{ x, y float64 }

type style struct {
	fill, ring, glyph color.NRGBA
	strokes           [][]pt // polylines, in a unit square
	dots              []pt
}

var (
	white = color.NRGBA{255, 255, 255, 255}
	ink   = color.NRGBA{0x3d, 0x2b, 0x00, 255}
)

var styles = map[string]style{
	"ok": {fill: color.NRGBA{0x2e, 0xa0, 0x43, 255}, ring: color.NRGBA{0x1a, 0x6b, 0x2a, 255}, glyph: white,
		strokes: [][]pt{{{0.29, 0.52}, {0.44, 0.67}, {0.72, 0.36}}}},
	"degraded": {fill: color.NRGBA{0xf5, 0xa6, 0x23, 255}, ring: color.NRGBA{0xa8, 0x6a, 0x00, 255}, glyph: ink,
		strokes: [][]pt{{{0.5, 0.27}, {0.5, 0.56}}}, dots: []pt{{0.5, 0.73}}},
	"down": {fill: color.NRGBA{0xd9, 0x30, 0x25, 255}, ring: color.NRGBA{0x8f, 0x1a, 0x12, 255}, glyph: white,
		strokes: [][]pt{{{0.34, 0.34}, {0.66, 0.66}}, {{0.66, 0.34}, {0.34, 0.66}}}},
	"checking": {fill: color.NRGBA{0x3b, 0x7d, 0xd8, 255}, ring: color.NRGBA{0x1f, 0x4f, 0x93, 255}, glyph: white,
		dots: []pt{{0.29, 0.5}, {0.5, 0.5}, {0.71, 0.5}}},
	"unknown": {fill: color.NRGBA{0x8a, 0x8f, 0x98, 255}, ring: color.NRGBA{0x55, 0x5a, 0x63, 255}, glyph: white,
		strokes: [][]pt{question()}, dots: []pt{{0.5, 0.75}}},
}

// question is the hook of a question mark: an arc, then down to the stem.
func question() []pt {
	var p []pt
	for a := 200.0; a <= 390; a += 15 {
		r := a * math.Pi / 180
		p = append(p, pt{0.5 + 0.14*math.Cos(r), 0.38 + 0.13*math.Sin(r)})
	}
	return append(p, pt{0.5, 0.53}, pt{0.5, 0.6})
}

func main() {
	for name, st := range styles {
		write(name+".png", encodePNG(render(st, 32)))
		write(name+"@2x.png", encodePNG(render(st, 64)))
		var imgs [][]byte
		var sizes []int
		for _, s := range []int{16, 20, 24, 32, 40, 48, 64} {
			imgs = append(imgs, encodePNG(render(st, s)))
			sizes = append(sizes, s)
		}
		write(name+".ico", ico(sizes, imgs))
	}
}

func write(name string, b []byte) {
	if err := os.WriteFile(name, b, 0o644); err != nil {
		log.Fatal(err)
	}
}

// render draws one icon of n×n pixels. The disc leaves a pixel of margin; the
// ring keeps the disc visible on a panel of the same colour.
func render(st style, n int) *image.NRGBA {
	s := float64(n)
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	c := s / 2
	r := s/2 - math.Max(0.5, s/32)
	fill(img, st.ring, func(z *vector.Rasterizer) { circle(z, c, c, r) })
	fill(img, st.fill, func(z *vector.Rasterizer) { circle(z, c, c, r-math.Max(1, s/16)) })
	w := math.Max(1.6, s*0.115) / 2 // half the stroke width, never thinner than 1.6 px
	fill(img, st.glyph, func(z *vector.Rasterizer) {
		for _, line := range st.strokes {
			for i := 1; i < len(line); i++ {
				capsule(z, pt{line[i-1].x * s, line[i-1].y * s}, pt{line[i].x * s, line[i].y * s}, w)
			}
		}
		for _, d := range st.dots {
			circle(z, d.x*s, d.y*s, w*1.15)
		}
	})
	return img
}

// fill paints the shape that draw traces in col over img.
func fill(img *image.NRGBA, col color.NRGBA, trace func(*vector.Rasterizer)) {
	b := img.Bounds()
	z := vector.NewRasterizer(b.Dx(), b.Dy())
	trace(z)
	z.Draw(img, b, image.NewUniform(col), image.Point{})
}

func circle(z *vector.Rasterizer, cx, cy, r float64) {
	const n = 64
	for i := 0; i <= n; i++ {
		a := 2 * math.Pi * float64(i) / n
		x, y := float32(cx+r*math.Cos(a)), float32(cy+r*math.Sin(a))
		if i == 0 {
			z.MoveTo(x, y)
		} else {
			z.LineTo(x, y)
		}
	}
	z.ClosePath()
}

// capsule traces a thick line from p to q with round ends, so joined
// segments meet in round joins.
func capsule(z *vector.Rasterizer, p, q pt, w float64) {
	a := math.Atan2(q.y-p.y, q.x-p.x)
	const n = 16
	first := true
	arc := func(c pt, from float64) {
		for i := 0; i <= n; i++ {
			t := from + math.Pi*float64(i)/n
			x, y := float32(c.x+w*math.Cos(t)), float32(c.y+w*math.Sin(t))
			if first {
				z.MoveTo(x, y)
				first = false
			} else {
				z.LineTo(x, y)
			}
		}
	}
	arc(q, a-math.Pi/2)
	arc(p, a+math.Pi/2)
	z.ClosePath()
}

func encodePNG(img image.Image) []byte {
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, img); err != nil {
		log.Fatal(err)
	}
	return b.Bytes()
}

// ico packs PNG images into an ICO file (PNG entries: Windows Vista and later).
func ico(sizes []int, imgs [][]byte) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	binary.Write(&b, le, [3]uint16{0, 1, uint16(len(imgs))})
	off := 6 + 16*len(imgs)
	for i, img := range imgs {
		d := byte(sizes[i] % 256)
		binary.Write(&b, le, struct {
			W, H, Colors, Reserved byte
			Planes, BPP            uint16
			Size, Offset           uint32
		}{d, d, 0, 0, 1, 32, uint32(len(img)), uint32(off)})
		off += len(img)
	}
	for _, img := range imgs {
		b.Write(img)
	}
	if b.Len() != off {
		log.Fatal(fmt.Sprintf("ico: wrote %d bytes, want %d", b.Len(), off))
	}
	return b.Bytes()
}
