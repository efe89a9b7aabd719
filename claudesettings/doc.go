// Package claudesettings is Claude Code's vocabulary and its rules for
// values: what Claude Code would use on this machine (Target, with each
// Setting and where it came from, the Credential it sends and the cloud
// Provider it calls), the names of the variables it reads, their defaults and
// ranges, and how it parses a base URL, a proxy URL and NO_PROXY, and masks a
// key. It is a leaf: it imports no other package of Claude Medic, so the
// engine (netcheck), the settings editor (claudecfg) and every front end
// read a value by the same rule.
package claudesettings
