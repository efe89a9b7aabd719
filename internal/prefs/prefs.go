// Package prefs holds Claude Medic's preferences (never a secret) in
// appdirs.Config()/config.json. Both front ends read this file, not Fyne's
// preferences, because the tray agent never loads Fyne. A damaged or
// out-of-range file gives the defaults (for the parts that are wrong) and an
// error that says what was wrong; it never stops the program.
package prefs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/natefinch/atomic"

	"claudemedic/appdirs"
)

// Limits of the check interval.
const (
	DefaultCheckInterval = 5 * time.Minute
	MinCheckInterval     = time.Minute
	MaxCheckInterval     = 24 * time.Hour
)

// Prefs are the user's choices.
type Prefs struct {
	CheckInterval time.Duration // how often the tray agent checks; DefaultCheckInterval unless set
	Stream        bool          // also run the stream check (spends a few tokens per check)
	Language      string        // "en" or "zh"; "" follows the system locale
	MetricsPort   int           // the Prometheus endpoint's port; 0 turns it off
	// MetricsAddress is the IP address the endpoint listens on; "" means
	// 127.0.0.1. Any other (0.0.0.0, ::, a LAN address) lets other machines
	// read the metrics, with no authentication and no TLS: an explicit choice.
	MetricsAddress string
	Autostart      bool // start the tray agent at login
	// NoUpdateCheck stops Claude Medic asking the npm registry for Claude
	// Code's latest version (at most once a day otherwise).
	NoUpdateCheck bool
	// StatusPage has the agent's checks also read the public status page
	// (status.claude.com) for an ongoing incident (UPSTREAM_INCIDENT).
	StatusPage bool
	// NoGenerate keeps the periodic check free on a relay or router too
	// (count_tokens only, which a router answers itself): without it, on any
	// host but the Claude API each check sends one generating request of
	// Claude Code's shape, max_tokens 1 (netcheck.DailyCost says the cost).
	NoGenerate bool
	// NoTranscripts stops Claude Medic reading Claude Code's transcripts
	// (projects/ under its config folder) for the API errors Claude Code met:
	// nothing there is opened then.
	NoTranscripts bool
}

// Defaults are the preferences before the user changes any.
func Defaults() Prefs { return Prefs{CheckInterval: DefaultCheckInterval} }

// MetricsAddr is the address the Prometheus endpoint listens on, host:port,
// on 127.0.0.1 unless MetricsAddress names another; "" when it is off.
func (p Prefs) MetricsAddr() string {
	if p.MetricsPort == 0 {
		return ""
	}
	host := p.MetricsAddress
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, strconv.Itoa(p.MetricsPort))
}

// file is the JSON form: durations as text ("5m"), so a person can edit it.
type file struct {
	CheckInterval string `json:"check_interval"`
	Stream        bool   `json:"stream"`
	Language      string `json:"language"`
	MetricsPort   int    `json:"metrics_port"`
	Autostart     bool   `json:"autostart"`
	// Written only when set, so a file of an older Claude Medic reads the same.
	MetricsAddress string `json:"metrics_address,omitempty"`
	NoUpdateCheck  bool   `json:"no_update_check,omitempty"`
	StatusPage     bool   `json:"status_page,omitempty"`
	NoGenerate     bool   `json:"no_generating_check,omitempty"`
	NoTranscripts  bool   `json:"no_transcripts,omitempty"`
}

// Path is the preferences file.
func Path() (string, error) {
	dir, err := appdirs.Config()
	return filepath.Join(dir, "config.json"), err
}

// Load reads the preferences. A missing file gives Defaults() and no error. A
// file that is not valid JSON gives Defaults(), and one with values out of
// range gives the defaults for those values; either way with an error naming
// the file and the problem, for the front end to show.
func Load() (Prefs, error) {
	path, err := Path()
	if err != nil {
		return Defaults(), err
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Defaults(), nil
	}
	if err != nil {
		return Defaults(), fmt.Errorf("reading the preferences: %w; using the defaults", err)
	}
	return parse(b, path)
}

// parse reads the preferences file's bytes b (from path, for the error).
func parse(b []byte, path string) (Prefs, error) {
	var f file
	if err := json.Unmarshal(b, &f); err != nil {
		return Defaults(), fmt.Errorf("the preferences file %s is not valid JSON (%w); using the defaults", path, err)
	}
	p, problems := f.prefs()
	if len(problems) > 0 {
		return p, fmt.Errorf("in the preferences file %s, %s; using the default for each", path, strings.Join(problems, "; "))
	}
	return p, nil
}

// Save writes p atomically. It refuses values out of range and writes
// nothing then. A damaged file it replaces is kept beside it as
// config.json.damaged, so nothing a person wrote by hand is lost.
func Save(p Prefs) error {
	if problems := p.check(); len(problems) > 0 {
		return fmt.Errorf("not saving the preferences: %s", strings.Join(problems, "; "))
	}
	dir, err := appdirs.Ensure(appdirs.Config())
	if err != nil {
		return err
	}
	path := filepath.Join(dir, "config.json")
	if old, err := os.ReadFile(path); err == nil && !json.Valid(old) {
		if err := atomic.WriteFile(path+".damaged", bytes.NewReader(old)); err != nil {
			return fmt.Errorf("keeping a copy of the damaged preferences file: %w", err)
		}
	}
	f := file{p.CheckInterval.String(), p.Stream, p.Language, p.MetricsPort, p.Autostart, p.MetricsAddress, p.NoUpdateCheck, p.StatusPage, p.NoGenerate, p.NoTranscripts}
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	if err := atomic.WriteFile(path, bytes.NewReader(append(b, '\n'))); err != nil {
		return fmt.Errorf("saving the preferences: %w", err)
	}
	return nil
}

// prefs converts the file form, the default replacing each value out of range.
func (f file) prefs() (Prefs, []string) {
	p := Prefs{Stream: f.Stream, Language: f.Language, MetricsPort: f.MetricsPort, Autostart: f.Autostart,
		MetricsAddress: f.MetricsAddress, NoUpdateCheck: f.NoUpdateCheck, StatusPage: f.StatusPage, NoGenerate: f.NoGenerate, NoTranscripts: f.NoTranscripts}
	var problems []string
	if f.CheckInterval == "" {
		p.CheckInterval = DefaultCheckInterval
	} else if d, err := time.ParseDuration(f.CheckInterval); err != nil {
		problems = append(problems, fmt.Sprintf("check_interval %q is not a duration like \"5m\"", f.CheckInterval))
		p.CheckInterval = DefaultCheckInterval
	} else {
		p.CheckInterval = d
	}
	problems = append(problems, p.check()...)
	def := Defaults()
	if p.CheckInterval < MinCheckInterval || p.CheckInterval > MaxCheckInterval {
		p.CheckInterval = def.CheckInterval
	}
	if !validLanguage(p.Language) {
		p.Language = def.Language
	}
	if p.MetricsPort < 0 || p.MetricsPort > 65535 {
		p.MetricsPort = def.MetricsPort
	}
	if !validListen(p.MetricsAddress) {
		p.MetricsAddress = def.MetricsAddress
	}
	return p, problems
}

// check names the values out of range.
func (p Prefs) check() []string {
	var problems []string
	if p.CheckInterval < MinCheckInterval || p.CheckInterval > MaxCheckInterval {
		problems = append(problems, fmt.Sprintf("check_interval %v is not between %v and %v", p.CheckInterval, MinCheckInterval, MaxCheckInterval))
	}
	if !validLanguage(p.Language) {
		problems = append(problems, fmt.Sprintf("language %q is not \"en\", \"zh\" or \"\" (the system's)", p.Language))
	}
	if p.MetricsPort < 0 || p.MetricsPort > 65535 {
		problems = append(problems, fmt.Sprintf("metrics_port %d is not a port (1 to 65535, or 0 for off)", p.MetricsPort))
	}
	if !validListen(p.MetricsAddress) {
		problems = append(problems, fmt.Sprintf("metrics_address %q is not an IP address such as 127.0.0.1, 0.0.0.0 or ::", p.MetricsAddress))
	}
	return problems
}

// validListen accepts "" (127.0.0.1) or an IP address to listen on; a host
// name is refused, as it could resolve to anything.
func validListen(a string) bool {
	return a == "" || net.ParseIP(a) != nil
}

func validLanguage(l string) bool {
	return l == "" || l == "en" || l == "zh" || strings.HasPrefix(l, "en-") || strings.HasPrefix(l, "en_") ||
		strings.HasPrefix(l, "zh-") || strings.HasPrefix(l, "zh_")
}
