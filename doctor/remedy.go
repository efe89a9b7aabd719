package doctor

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"strconv"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/internal/i18n"
	"claudemedic/netcheck"
)

// ErrChangedSince is a fix refused because the user settings changed since
// the diagnosis read them: what was diagnosed may no longer hold, so nothing
// is changed until a new check.
var ErrChangedSince = errors.New("changed since the diagnosis read it (another program, or you, edited it): nothing was changed; check again")

// ErrNeedsInput is a fix applied without the input it needs (a key, a CA file).
var ErrNeedsInput = errors.New("this fix needs an input first")

// Remedies are a report's findings with the fix each gets, decided against
// the user settings as they were when Remedies read them. Applying a fix
// refuses (ErrChangedSince) when the file changed since by anything but the
// remedies themselves.
type Remedies struct {
	Report *netcheck.Report
	Fixes  []Fix  // one per finding of Report, in its order; Kind FixNone where there is no action
	File   string // the user settings file the fixes edit

	d     *Doctor
	basis [sha256.Size]byte // the file as last read or written here ({} when missing)
}

// Remedies decides the fix of each finding of r. With no Settings (a window
// without the logic wired, say) every fix is FixNone.
func (d *Doctor) Remedies(r *netcheck.Report) *Remedies {
	rem := &Remedies{Report: r, d: d, Fixes: make([]Fix, len(r.Findings))}
	rem.File, _ = UserFile()
	env := rem.read()
	for i, f := range r.Findings {
		rem.Fixes[i] = Fix{Code: f.Code}
		if d.Settings != nil {
			rem.Fixes[i] = Decide(f, r.Target, env)
		}
		if rem.Fixes[i].Kind == FixKey && d.Keys == nil {
			rem.Fixes[i] = Fix{Code: f.Code}
		}
	}
	rem.settle(env)
	return rem
}

// settle makes the decided fixes agree with each other and with what is set,
// so that the window, the wizard and `claudemedic doctor` offer the same:
// FixTimeout gets the value the measurements propose and why, and no action
// when that is not above the value in effect; a fix that would write the
// value the user settings already hold has no action; and a fix whose action
// an earlier finding already offers is offered once, on that finding.
func (rem *Remedies) settle(user map[string]string) {
	type action struct{ kind, name, value string }
	offered := map[action]bool{}
	for i := range rem.Fixes {
		f := &rem.Fixes[i]
		if f.Kind == FixTimeout {
			rem.proposeTimeout(f)
		}
		if f.Kind == FixNone {
			continue
		}
		if v, ok := user[f.Var]; ok && f.Var != "" && f.Value != "" && v == f.Value {
			*f = Fix{Code: f.Code} // already so: writing it again changes nothing
			continue
		}
		a := action{string(f.Kind), f.Var, f.Value}
		if offered[a] {
			*f = Fix{Code: f.Code}
			continue
		}
		offered[a] = true
	}
}

// proposeTimeout fills FixTimeout with the value the measurements propose
// (SuggestTimeout) and its explanation, or takes its action away when they
// propose nothing above the value in effect, or cannot be taken.
func (rem *Remedies) proposeTimeout(f *Fix) {
	s, err := rem.d.SuggestTimeout(rem.Report)
	current := claudecfg.CurrentAPITimeout(claudesettings.Target{APITimeout: claudesettings.Setting{Value: rem.Report.Target.APITimeoutMS}})
	if current <= 0 {
		current = claudesettings.DefaultAPITimeout
	}
	if err != nil || s.Timeout <= current {
		*f = Fix{Code: f.Code}
		return
	}
	f.Value, f.Why = strconv.FormatInt(s.Timeout.Milliseconds(), 10), s.Explanation
}

// read takes the user settings' snapshot and returns its env.
func (rem *Remedies) read() map[string]string {
	rem.basis = fileSum(rem.File)
	env := map[string]string{}
	if f, err := claudecfg.ReadFile(rem.File); err == nil {
		if m, ok := f.Values["env"].(map[string]any); ok {
			for k, v := range m {
				if s, ok := v.(string); ok {
					env[k] = s
				}
			}
		}
	}
	return env
}

// fileSum is the SHA-256 of the file's bytes; zero when it cannot be read.
func fileSum(path string) [sha256.Size]byte {
	data, err := os.ReadFile(path)
	if err != nil {
		return [sha256.Size]byte{}
	}
	return sha256.Sum256(data)
}

// Any reports whether some finding has a fix to apply.
func (rem *Remedies) Any() bool {
	for _, f := range rem.Fixes {
		if f.Kind != FixNone {
			return true
		}
	}
	return false
}

// Apply applies fix i with input (the key or the CA file's path, for the
// fixes whose Input asks for one). It refuses with ErrChangedSince, changing
// nothing, when the user settings changed since the diagnosis.
func (rem *Remedies) Apply(ctx context.Context, i int, input string) (*Change, error) {
	if i < 0 || i >= len(rem.Fixes) || rem.Fixes[i].Kind == FixNone {
		return nil, errors.New("this finding has no fix to apply")
	}
	f := rem.Fixes[i]
	if f.Input() != InputNone && input == "" {
		return nil, fmt.Errorf("%s: %w", f.Kind, ErrNeedsInput)
	}
	if fileSum(rem.File) != rem.basis {
		return nil, fmt.Errorf("%s %w", rem.File, ErrChangedSince)
	}
	c, err := rem.apply(ctx, f, input)
	rem.basis = fileSum(rem.File) // our own edit is the new basis
	return c, err
}

func (rem *Remedies) apply(ctx context.Context, f Fix, input string) (*Change, error) {
	d := rem.d
	switch f.Kind {
	case FixKey:
		return d.Keys.Replace(ctx, input)
	case FixCAFile:
		return d.Settings.SetCAFile(ctx, input)
	case FixRemoveProxy:
		return d.Settings.SetProxy(ctx, "", nil)
	case FixTimeout:
		if f.Value != "" { // the value shown, with its reason (settle)
			return d.Settings.SetEnv(ctx, f.Var, f.Value)
		}
		s, err := d.SuggestTimeout(rem.Report)
		if err != nil {
			return nil, err
		}
		return d.Settings.SetEnv(ctx, f.Var, strconv.FormatInt(s.Timeout.Milliseconds(), 10))
	}
	return d.Settings.SetEnv(ctx, f.Var, f.Value)
}

// Comparison is a re-test beside the diagnosis it follows.
type Comparison struct {
	Before    netcheck.Verdict `json:"before"`
	After     netcheck.Verdict `json:"after"`
	Fixed     []netcheck.Code  `json:"fixed"`     // found before, not after
	Remaining []netcheck.Code  `json:"remaining"` // found in both
	New       []netcheck.Code  `json:"new"`       // found only after
}

// Compare sets a re-test beside the report before it.
func Compare(before, after *netcheck.Report) Comparison {
	c := Comparison{Before: before.Verdict, After: after.Verdict, Fixed: []netcheck.Code{}, Remaining: []netcheck.Code{}, New: []netcheck.Code{}}
	for _, f := range before.Findings {
		if after.Has(f.Code) {
			c.Remaining = append(c.Remaining, f.Code)
		} else {
			c.Fixed = append(c.Fixed, f.Code)
		}
	}
	for _, f := range after.Findings {
		if !before.Has(f.Code) {
			c.New = append(c.New, f.Code)
		}
	}
	return c
}

// describeTimeout says what FixTimeout with its value writes, and why that
// number.
func describeTimeout(tr i18n.Printer, f Fix, file string) string {
	return tr.X("fix.describe_timeout_value", "Sets API_TIMEOUT_MS to {{.Value}} in {{.File}}. {{.Why}}", "Value", f.Value, "File", file, "Why", f.Why.In(tr.Lang()))
}
