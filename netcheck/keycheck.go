package netcheck

import (
	"fmt"
	"time"
)

// checkKey runs the key check: a credential exists and its shape fits the
// way it is sent. It returns whether the credential can be sent.
func (r *run) checkKey() bool {
	t0 := time.Now()
	c := r.target.Credential
	if c.Secret == "" {
		f := newFinding(KeyMissing, CheckKey, Text{})
		r.finish(CheckKey, StatusFail, time.Since(t0), f.Summary, f)
		return false
	}
	if fs := InspectKey(c.Secret, c.Kind); len(fs) > 0 {
		r.finish(CheckKey, StatusFail, time.Since(t0), fs[0].Summary, fs...)
		return false
	}
	how := "x-api-key"
	if c.Kind == KindBearer {
		how = "Authorization: Bearer"
	}
	from := string(c.Source)
	if c.Var != "" {
		from = c.Var + ", " + from
	}
	r.finish(CheckKey, StatusPass, time.Since(t0), Text{
		fmt.Sprintf("%s (%s), sent as %s.", MaskKey(c.Secret), from, how),
		fmt.Sprintf("%s（%s），以 %s 发送。", MaskKey(c.Secret), from, how)})
	return true
}
