package doctor

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/internal/i18n"
	"claudemedic/netcheck"
)

// ErrNeedsInput is a fix applied without the input it needs (a key, a CA file).
var ErrNeedsInput = errors.New("this fix needs an input first")

// Remedies are a report's findings with the fix each gets, decided against
// the user settings as they were when Remedies read them. Applying a fix
// refuses (a *ChangedSinceError) when the file changed since by anything but
// the remedies themselves: the settings writer's one guard, held against
// the diagnosis' read.
type Remedies struct {
	Report *netcheck.Report
	Fixes  []Fix  // one per finding of Report, in its order; Kind FixNone where there is no action
	File   string // the user settings file the fixes edit

	d       *Doctor
	doc     *claudecfg.Doc // the user settings as last read or written here: the guard's basis
	openErr error          // why the file cannot be edited (read-only, not JSON), said when a fix is applied
	noValue error          // why FixTimeout has no value (no measurement reached the API)
}

// Remedies decides the fix of each finding of r. With no Settings (a window
// without the logic wired, say) every fix is FixNone.
func (d *Doctor) Remedies(r *netcheck.Report) *Remedies {
	rem := &Remedies{Report: r, d: d, Fixes: make([]Fix, len(r.Findings))}
	rem.File, rem.openErr = UserFile()
	if rem.openErr == nil {
		rem.doc, rem.openErr = claudecfg.Open(rem.File)
	}
	env := rem.env()
	for i, f := range r.Findings {
		rem.Fixes[i] = Fix{Code: f.Code}
		if d.Settings != nil {
			rem.Fixes[i] = Decide(f, r.Target, env)
		}
		if rem.Fixes[i].Kind == FixKey && d.Keys == nil {
			rem.Fixes[i] = Fix{Code: f.Code}
		}
		if rem.Fixes[i].Kind == FixTimeout { // decided here, once: applying it only writes
			rem.proposeTimeout(&rem.Fixes[i])
		}
	}
	rem.settle(env)
	return rem
}

// proposeTimeout fills FixTimeout with the value the measurement of r and
// the history proposes (SuggestTimeout) and why that number, or takes its
// action away when that is not above the value in effect: advice never
// proposes the value already set. Without a measurement it keeps the fix,
// whose applying says why there is no value.
func (rem *Remedies) proposeTimeout(f *Fix) {
	s, err := rem.d.SuggestTimeout(rem.Report)
	if err != nil {
		f.Value, rem.noValue = "", err
		return
	}
	if current, _ := rem.Report.Target.APITimeout(); s.Timeout <= current {
		*f = Fix{Code: f.Code}
		return
	}
	f.Value, f.Why = strconv.FormatInt(s.Timeout.Milliseconds(), 10), s.Explanation
}

// settle makes the decided fixes agree with each other and with what is
// set, so that the window, the wizard and `claudemedic doctor` offer the
// same: a fix that would write the value the user settings already hold has
// no action, and a fix whose action an earlier finding already offers is
// offered once, on that finding.
func (rem *Remedies) settle(user map[string]string) {
	type action struct{ kind, name, value string }
	offered := map[action]bool{}
	for i := range rem.Fixes {
		f := &rem.Fixes[i]
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

// describeTimeout says what FixTimeout with its value writes, and why that
// number.
func describeTimeout(tr i18n.Printer, f Fix, file string) string {
	return tr.X("fix.describe_timeout_value", "Sets API_TIMEOUT_MS to {{.Value}} in {{.File}}. {{.Why}}", "Value", f.Value, "File", file, "Why", f.Why.In(tr.Lang()))
}

// env is the user settings' env as read (a file that cannot be edited is
// still read, for the decisions).
func (rem *Remedies) env() map[string]string {
	var values map[string]any
	if rem.doc != nil {
		values, _ = rem.doc.Values()
	} else if f, err := claudecfg.ReadFile(rem.File); err == nil {
		values = f.Values
	}
	env, _ := claudecfg.EnvOf(values) // the one reader of a settings file's env
	return env
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
// fixes whose Input asks for one). It refuses with a *ChangedSinceError
// (ErrChangedSince), changing nothing, when the user settings changed since
// the diagnosis.
func (rem *Remedies) Apply(ctx context.Context, i int, input string) (*Change, error) {
	if i < 0 || i >= len(rem.Fixes) || rem.Fixes[i].Kind == FixNone {
		return nil, errors.New("this finding has no fix to apply")
	}
	f := rem.Fixes[i]
	if f.Input() != InputNone && input == "" {
		return nil, fmt.Errorf("%s: %w", f.Kind, ErrNeedsInput)
	}
	if rem.openErr != nil {
		return nil, rem.openErr
	}
	c, err := rem.apply(ctx, f, input)
	if errors.Is(err, claudecfg.ErrChangedOnDisk) {
		return nil, &ChangedSinceError{File: rem.File}
	}
	return c, err
}

func (rem *Remedies) apply(ctx context.Context, f Fix, input string) (*Change, error) {
	switch f.Kind {
	case FixKey: // the keychain's writer edits the file: the guard first, then a new basis
		if err := rem.doc.Check(); err != nil {
			return nil, err
		}
		c, err := rem.d.Keys.Replace(ctx, input)
		if doc, oerr := claudecfg.Open(rem.File); oerr == nil {
			rem.doc = doc
		}
		return c, err
	case FixCAFile:
		ca, err := claudecfg.InspectCA(input)
		if err != nil {
			return nil, err
		}
		return rem.save(claudecfg.EnvEdit(claudesettings.VarExtraCACerts, ca.Path))
	case FixRemoveProxy:
		return rem.save(claudecfg.ProxyEdits("", nil)...)
	case FixTimeout:
		if f.Value == "" {
			return nil, rem.noValue
		}
	}
	return rem.save(claudecfg.EnvEdit(f.Var, f.Value))
}

// save writes edits over the file as the diagnosis read it: refused if it
// changed since (claudecfg's guard, under the file's lock); written, the
// file as saved is the basis of the next fix.
func (rem *Remedies) save(edits ...claudecfg.Edit) (*Change, error) {
	c, err := rem.doc.SaveEdits(edits...)
	if err != nil {
		return nil, err
	}
	return change(c), nil
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
