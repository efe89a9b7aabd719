package gui

import (
	"image/color"
	"slices"
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

// historyChart draws the latency of each check as a bar (red when the
// check failed) with a line at the median, and the error rate beside it.
type historyChart struct {
	plot    *fyne.Container
	layout  *barsLayout
	summary *widget.Label
	view    fyne.CanvasObject // what the page shows
}

func newHistoryChart() *historyChart {
	c := &historyChart{layout: &barsLayout{}}
	c.plot = container.New(c.layout)
	c.summary = widget.NewLabel(lang.X("history.empty", "No checks in the last 24 hours."))
	c.summary.SizeName = theme.SizeNameCaptionText // smaller, in the text colour: grey was too faint to read
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	c.view = container.NewVBox(container.NewStack(bg, container.NewPadded(c.plot)), c.summary)
	return c
}

var (
	okBar     = color.NRGBA{0x3f, 0xb9, 0x8f, 0xff}
	failedBar = color.NRGBA{0xe0, 0x4f, 0x4f, 0xff}
)

// SetPoints redraws the chart.
func (c *historyChart) SetPoints(pts []doctor.Point) {
	c.layout.points = pts
	objs := make([]fyne.CanvasObject, 0, len(pts)+1)
	failed := 0
	lat := make([]time.Duration, 0, len(pts))
	for _, p := range pts {
		col := okBar
		if p.Failed {
			col, failed = failedBar, failed+1
		} else {
			lat = append(lat, p.Latency)
		}
		objs = append(objs, canvas.NewRectangle(col))
	}
	median := time.Duration(0)
	if len(lat) > 0 {
		slices.Sort(lat)
		median = lat[len(lat)/2]
	}
	c.layout.median = median
	line := canvas.NewLine(theme.Color(theme.ColorNameForeground))
	line.StrokeWidth = 1
	objs = append(objs, line)
	c.plot.Objects = objs
	c.plot.Refresh()
	if len(pts) == 0 {
		c.summary.SetText(lang.X("history.empty", "No checks in the last 24 hours."))
		return
	}
	c.summary.SetText(lang.X("history.summary", "{{.N}} checks · median {{.Median}} · {{.Rate}}% failed", map[string]any{
		"N": len(pts), "Median": netcheck.FormatDuration(median), "Rate": failed * 100 / len(pts),
	}))
}

// barsLayout places one bar per point along the width, heights scaled to
// the slowest, and the last object, a line, at the median.
type barsLayout struct {
	points []doctor.Point
	median time.Duration
}

func (l *barsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	n := len(l.points)
	if n == 0 || len(objs) != n+1 {
		return
	}
	top := time.Duration(1)
	for _, p := range l.points {
		top = max(top, p.Latency)
	}
	slot := min(size.Width/float32(n), maxBarSlot)
	left := size.Width - slot*float32(n) // the newest check at the right edge
	gap := min(slot/4, 3)
	for i, p := range l.points {
		h := size.Height * float32(p.Latency) / float32(top)
		if p.Failed {
			h = size.Height // a failure fills the column: it is what matters
		}
		h = max(h, 2)
		objs[i].Move(fyne.NewPos(left+float32(i)*slot+gap/2, size.Height-h))
		objs[i].Resize(fyne.NewSize(max(slot-gap, 1), h))
	}
	y := size.Height - size.Height*float32(l.median)/float32(top)
	line := objs[n].(*canvas.Line)
	line.Position1 = fyne.NewPos(0, y)
	line.Position2 = fyne.NewPos(size.Width, y)
	if l.median == 0 {
		line.Hide()
	} else {
		line.Show()
	}
}

// maxBarSlot is the widest a bar's column gets, so a few checks do not fill the chart.
const maxBarSlot = 24

func (l *barsLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(200, 90) }
