// Package netcheck is Claude Medic's diagnostic engine: given a Target (what
// Claude Code would use on this machine), it runs the checks of DESIGN.md
// concurrently under context deadlines and returns a Report whose Findings
// name the cause of a failure, in English and Simplified Chinese, with a fix.
//
// It knows nothing of widgets and prints nothing: the CLI, the tray and the
// window all render the same Report.
package netcheck
