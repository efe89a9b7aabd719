// Package assets holds Claude Medic's embedded files: the app icon, the tray
// icons and the window's translations.
package assets

import (
	"embed"
	_ "embed"
)

// Icon is the application icon (512×512 PNG), for the window and FyneApp.toml.
//
//go:embed icon.png
var Icon []byte

// Lang holds the window's translations, lang/en.json and lang/zh-CN.json, in
// the go-i18n format that fyne.io/fyne/v2/lang reads.
//
//go:embed lang/*.json
var Lang embed.FS
