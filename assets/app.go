// Package assets holds Claude Medic's embedded files: the app icon here, the
// tray icons in assets/trayicon and the messages in assets/lang.
package assets

import _ "embed"

// Icon is the application icon (512×512 PNG), for the window and FyneApp.toml.
//
//go:embed icon.png
var Icon []byte
