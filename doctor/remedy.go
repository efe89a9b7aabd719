package doctor

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"strconv"

	"claudemedic/claudecfg"
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
	return rem
}

// read takes the user settings' snapshot and returns its env.
func (rem *Remedies) read() map[string]string {
	rem.basis = fileSum(rem.File)
	env := map[string]string{}
	if f, err := claudecfg.ReadFile(rem.File); err == nil {
		env, _ = claudecfg.EnvOf(f.Values) // the one reader of a settings file's env
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
