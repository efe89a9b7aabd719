// Package claudesettings is Claude Code's vocabulary and its rules for
// values: what Claude Code would use on this machine (Target, with each
// Setting and where it came from, the Credential it sends and the cloud
// Provider it calls), and how it parses a base URL, a proxy URL and
// NO_PROXY, and masks a key.
//
// Table holds Claude Code's variables, one row each (gh's one-row-per-option
// style): name, meaning, default, whether it is secret, its kind, and the one
// function that reads it as Claude Code 2.1.332 reads it (measured; see
// number.go), giving the effective value and, for a value Claude Code does
// not read as written, a sentence saying what it will do with it.
// Variables, Defaults and IsSecret are views of the table. Target's
// Effective* methods (EffectiveAPITimeout, EffectiveBaseURL,
// EffectiveMaxRetries, …) and TargetView.APITimeout are the only readers of
// an effective value; ParseInput is the one parser of what a person types.
//
// It is a leaf: it imports no other package of Claude Medic, so the engine
// (netcheck), the settings editor (claudecfg) and every front end read a
// value by the same rule.
package claudesettings
