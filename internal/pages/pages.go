// Package pages names the window's pages, as `claudemedic window PAGE` and
// the tray's menu take them. It is apart from the window so the tray agent
// can open a page without linking the window toolkit.
package pages

import (
	"fmt"
	"slices"
	"strings"
)

// Page names a tab of the window.
type Page string

// The pages of the window, in the order of its tabs.
const (
	Status   Page = "status"
	Wizard   Page = "wizard"
	Key      Page = "key"
	Settings Page = "settings"
	Cache    Page = "cache"
)

// All lists the pages in the order of the window's tabs.
var All = []Page{Status, Wizard, Key, Settings, Cache}

// List is the pages as a usage line shows them: status|wizard|key|settings|cache.
func List() string {
	names := make([]string, len(All))
	for i, p := range All {
		names[i] = string(p)
	}
	return strings.Join(names, "|")
}

// Parse reads a page's name.
func Parse(s string) (Page, error) {
	if p := Page(s); slices.Contains(All, p) {
		return p, nil
	}
	return "", fmt.Errorf("no page %q in the window (one of %s)", s, List())
}
