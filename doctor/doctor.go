// Package doctor is what the command line, the tray and the window share
// between a person and the logic packages: it resolves what to check (Claude
// Code's settings plus explicit overrides), runs a diagnosis, matches the
// message a person saw to the checks that explain it, decides each finding's
// fix and applies it with its undo, re-tests, renders reports (text, Markdown,
// JSON) and turns the history into latency samples. It knows no widget and
// prints only where it is handed a writer; the front ends are thin callers.
package doctor

import (
	"context"
	"time"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/internal/state"
	"claudemedic/keystore"
	"claudemedic/netcheck"
)

// Doctor is the use cases over the real packages. Each field can be swapped
// by a test (a private HOME, a fake API, a private keychain); New wires the
// real ones.
type Doctor struct {
	// Resolve returns the Target Claude Code would use (Resolve with the sources).
	Resolve func(ctx context.Context) (claudesettings.Target, error)
	// Check runs the checks; nil means netcheck.Run.
	Check func(ctx context.Context, t claudesettings.Target, o netcheck.Options) *netcheck.Report
	// Record stores a report as the last one and in the history (state.Record); nil keeps none.
	Record func(r *netcheck.Report) error
	// History is the checks since a time, oldest first; nil means none.
	History func(since time.Time) ([]Point, error)
	// Keys is Claude Medic's key in the keychain; nil when there is no keychain.
	Keys Keys
	// Settings edits Claude Code's user settings; nil offers no fix buttons.
	Settings Settings
	// Timeout bounds each check; 0 means netcheck's default.
	Timeout time.Duration
	// ClaudeCode looks Claude Code's own install up beside a full run (the
	// default checks, not a symptom's few) and returns what adds it to the
	// report (claudeinstall.Beside); nil looks nothing up.
	ClaudeCode func(ctx context.Context, t claudesettings.Target) func(*netcheck.Report)
	// Request starts reading the request the installed Claude Code makes
	// (request.go) and returns what waits for it; nil sends the built-in copy.
	Request func(ctx context.Context) func() RequestOptions
}

// Desktop is where an app started from the desktop finds what Claude Code
// uses: the settings, the login shell's environment, Claude Medic's keychain
// entry and Claude Code's own saved login (the window and the tray).
func Desktop() claudecfg.ResolveOptions {
	return claudecfg.ResolveOptions{LoginShell: true, Keychain: keystore.Getter(keystore.DefaultProfile), LoginKeychain: keystore.ClaudeCodeLogin}
}

// Terminal is where a command in a terminal finds it: the settings of the
// project in dir (the current folder, as Claude Code started there would),
// this environment, Claude Medic's keychain entry and Claude Code's own saved
// login.
func Terminal(dir string, loginShell bool) claudecfg.ResolveOptions {
	return claudecfg.ResolveOptions{ProjectDir: dir, LoginShell: loginShell, Keychain: keystore.Getter(keystore.DefaultProfile), LoginKeychain: keystore.ClaudeCodeLogin}
}

// New is the Doctor over the real packages, resolving from src with the
// overrides o; lang is the language of the texts its changes carry.
func New(src claudecfg.ResolveOptions, o Overrides, lang string) *Doctor {
	resolve := func(ctx context.Context) (claudesettings.Target, error) { return Resolve(ctx, src, o) }
	return &Doctor{
		Resolve:    resolve,
		Record:     state.Record,
		History:    History,
		Keys:       Keychain{Profile: keystore.DefaultProfile, Lang: lang},
		Settings:   UserSettings{Resolve: resolve, Lang: lang},
		ClaudeCode: claudeCodeBeside(src),
		Request:    requestBeside(src),
	}
}

// run is one run of the checks with opts, bounded by the doctor's timeout.
func (d *Doctor) run(ctx context.Context, t claudesettings.Target, opts netcheck.Options) *netcheck.Report {
	if opts.Timeout == 0 {
		opts.Timeout = d.Timeout
	}
	if d.Check != nil {
		return d.Check(ctx, t, opts)
	}
	return netcheck.Run(ctx, t, opts)
}

// Progress follows a run: Resolved when the target is known and the checks
// start, Checked as each check ends (from any goroutine, one call at a time).
// Either may be nil.
type Progress struct {
	Resolved func(t claudesettings.TargetView)
	Checked  func(c netcheck.CheckResult)
}

// Run resolves the target and runs the checks opts choose; the report is
// recorded unless ctx ended. The error is only a target that could not be
// resolved, or ctx's.
func (d *Doctor) Run(ctx context.Context, opts netcheck.Options, p Progress) (*netcheck.Report, error) {
	var request func() RequestOptions
	if d.Request != nil {
		request = d.Request(ctx)
	}
	t, err := d.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	if p.Resolved != nil {
		p.Resolved(t.View())
	}
	opts.Progress = p.Checked
	var addClaudeCode func(*netcheck.Report)
	if opts.Only == nil && d.ClaudeCode != nil {
		addClaudeCode = d.ClaudeCode(ctx, t)
	}
	if request != nil {
		request().Apply(&opts)
	}
	r := d.run(ctx, t, opts)
	if addClaudeCode != nil {
		addClaudeCode(r)
		if r.ClaudeCode != nil {
			netcheck.AdjustForClaudeCode(r, r.ClaudeCode.Version)
		}
	}
	if ctx.Err() != nil {
		return r, ctx.Err()
	}
	if d.Record != nil {
		_ = d.Record(r) // the tray shows it too; a failed write only loses history
	}
	return r, nil
}

// Diagnose runs the checks that can explain symptom (Symptom.Plan), as the
// wizard and `claudemedic doctor` do.
func (d *Doctor) Diagnose(ctx context.Context, s Symptom, p Progress) (*netcheck.Report, error) {
	only, stream := s.Plan()
	return d.Run(ctx, netcheck.Options{Only: only, Stream: stream}, p)
}

// SignInCheck resolves what Claude Code would use and runs the key check
// alone, which needs no network and is not recorded: the report's target
// says which credential Claude Code sends and which ones that hides (or the
// cloud provider), its findings what is wrong with them (AUTH_CONFLICT,
// KEY_OVERRIDES_LOGIN, KEY_HELPER_FAILED, …) with the fixes Remedies
// decides. The window's sign-in page shows it.
func (d *Doctor) SignInCheck(ctx context.Context) (*netcheck.Report, error) {
	t, err := d.Resolve(ctx)
	if err != nil {
		return nil, err
	}
	return d.run(ctx, t, netcheck.Options{Only: []netcheck.CheckID{netcheck.CheckKey}}), nil
}
