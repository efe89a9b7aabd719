package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// choiceList is a list of options, one of which may be picked, as a radio
// group, except that an option's text wraps (wrapLabel) instead of holding
// the window as wide as its longest option.
type choiceList struct {
	widget.BaseWidget
	Options   []string
	Selected  string
	OnChanged func(string)

	rows []*choiceRow
	box  *fyne.Container
}

func newChoiceList(options []string, changed func(string)) *choiceList {
	c := &choiceList{Options: options, OnChanged: changed, box: container.NewVBox()}
	for _, o := range options {
		r := &choiceRow{list: c, option: o, icon: widget.NewIcon(theme.RadioButtonIcon()), label: newWrapLabel(o)}
		r.ExtendBaseWidget(r)
		c.rows = append(c.rows, r)
		c.box.Add(r)
	}
	c.ExtendBaseWidget(c)
	return c
}

// SetSelected picks option o ("" for none) and calls OnChanged when it changed.
func (c *choiceList) SetSelected(o string) {
	if o == c.Selected {
		return
	}
	c.Selected = o
	for _, r := range c.rows {
		if r.option == o {
			r.icon.SetResource(theme.NewPrimaryThemedResource(theme.RadioButtonCheckedIcon()))
		} else {
			r.icon.SetResource(theme.RadioButtonIcon())
		}
	}
	if c.OnChanged != nil {
		c.OnChanged(o)
	}
}

func (c *choiceList) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(c.box) }

// choiceRow is one option: its radio mark and its wrapping text; a tap anywhere on it picks it.
type choiceRow struct {
	widget.BaseWidget
	list   *choiceList
	option string
	icon   *widget.Icon
	label  *wrapLabel
}

func (r *choiceRow) Tapped(*fyne.PointEvent) { r.list.SetSelected(r.option) }

func (r *choiceRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.NewCenter(r.icon), nil, r.label))
}
