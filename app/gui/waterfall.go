package gui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"claudemedic/doctor"
	"claudemedic/netcheck"
)

// waterfall shows the phases of the request the way httpstat does: each
// phase a bar that starts where the one before ended, on one time axis, so
// the slow phase stands out at a glance.
type waterfall struct {
	rows  []*phaseRow
	box   *fyne.Container
	empty *widget.Label
	view  fyne.CanvasObject // what the page shows
}

type phaseRow struct {
	span  *spanLayout
	bar   *canvas.Rectangle
	value *widget.Label
	row   fyne.CanvasObject
}

// phaseColors are the bars' colours, one per phase, in doctor.Waterfall's order.
var phaseColors = []color.NRGBA{
	{0x5b, 0x8d, 0xef, 0xff}, // DNS
	{0x3f, 0xb9, 0x8f, 0xff}, // connect
	{0xa7, 0x7b, 0xe0, 0xff}, // TLS
	{0xe0, 0x9b, 0x3d, 0xff}, // first byte
	{0xd9, 0x77, 0x57, 0xff}, // total
}

func newWaterfall() *waterfall {
	w := &waterfall{box: container.NewVBox()}
	phases, _ := doctor.Waterfall(netcheck.Timings{})
	for i, ph := range phases {
		n := doctor.PhaseName(tr(), ph.ID)
		r := &phaseRow{span: &spanLayout{}, bar: canvas.NewRectangle(phaseColors[i])}
		r.bar.CornerRadius = 3
		track := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
		track.CornerRadius = 3
		name := widget.NewLabel(n)
		r.value = widget.NewLabelWithStyle("–", fyne.TextAlignTrailing, fyne.TextStyle{Monospace: true})
		h := name.MinSize().Height
		r.row = container.NewBorder(nil, nil,
			container.NewGridWrap(fyne.NewSize(130, h), name),
			container.NewGridWrap(fyne.NewSize(90, h), r.value),
			container.New(r.span, track, r.bar))
		w.rows = append(w.rows, r)
		w.box.Add(r.row)
	}
	w.empty = widget.NewLabel(lang.X("status.no_timings", "No request reached the server, so there are no timings."))
	w.empty.SizeName = theme.SizeNameCaptionText // smaller, in the text colour: grey was too faint to read
	w.empty.Hide()
	w.view = container.NewVBox(w.box, w.empty)
	return w
}

// SetTimings lays the phases out on one axis from 0 to the total
// (doctor.Waterfall, which the terminal's waterfall draws too).
func (w *waterfall) SetTimings(t netcheck.Timings) {
	phases, axis := doctor.Waterfall(t)
	if axis <= 0 {
		w.box.Hide()
		w.empty.Show()
		return
	}
	w.empty.Hide()
	w.box.Show()
	for i, ph := range phases {
		w.rows[i].set(ph.From, ph.Duration, axis)
	}
}

func (r *phaseRow) set(from, d, total time.Duration) {
	r.span.from = float32(from) / float32(total)
	r.span.to = float32(from+d) / float32(total)
	r.value.SetText(netcheck.FormatDuration(d))
	if d > 0 {
		r.bar.Show()
	} else {
		r.bar.Hide() // a phase that did not happen draws no bar
	}
	r.row.Refresh()
}

// spanLayout lays out a track (objects[0]) over the whole width and a bar
// (objects[1]) from `from` to `to`, fractions of the width, both centred.
type spanLayout struct{ from, to float32 }

func (l *spanLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	h := float32(14)
	y := (size.Height - h) / 2
	objs[0].Move(fyne.NewPos(0, y))
	objs[0].Resize(fyne.NewSize(size.Width, h))
	x := l.from * size.Width
	w := max((l.to-l.from)*size.Width, 2) // a phase of 0.1 ms still shows
	objs[1].Move(fyne.NewPos(min(x, size.Width-w), y))
	objs[1].Resize(fyne.NewSize(w, h))
}

func (l *spanLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(120, 14) }
