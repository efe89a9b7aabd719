// Package lang holds Claude Medic's messages, one file per language: en.json
// and zh-CN.json, flat maps from a message key to its text, in the go-i18n
// format that fyne.io/fyne/v2/lang reads ({{.Name}} marks a value). The
// window loads them into Fyne's lang; the command line, the tray and the
// use cases read them through claudemedic/internal/i18n.
package lang

import "embed"

// Files holds en.json and zh-CN.json.
//
//go:embed *.json
var Files embed.FS
