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

// explain is an error of doctor's use cases in the window's words: doctor's
// sentence when it knows the failure (no command-line flag in it), the
// error's own words otherwise.
func explain(err error) string {
	if text, known := doctor.Explain(err, tr()); known {
		return text
	}
	return err.Error()
}
