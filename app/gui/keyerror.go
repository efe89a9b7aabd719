package gui

import (
	"fyne.io/fyne/v2/lang"

	"claudemedic/doctor"
)

// keyError says what a keychain error means and what to do, in the window's
// language (doctor.Explain's words, the command line's too).
func keyError(err error) string {
	if text, known := doctor.Explain(err, tr()); known {
		return text
	}
	return lang.X("key.err_other", "The keychain failed: {{.Err}}", map[string]any{"Err": err.Error()})
}
