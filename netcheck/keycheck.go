package netcheck

import (
	"strings"
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
	var from []string
	for _, s := range []string{c.Var, string(c.Source)} {
		if s != "" {
			from = append(from, s)
		}
	}
	en, zh := MaskKey(c.Secret), MaskKey(c.Secret)
	if len(from) > 0 {
		en, zh = en+" ("+strings.Join(from, ", ")+")", zh+"（"+strings.Join(from, "，")+"）"
	}
	r.finish(CheckKey, StatusPass, time.Since(t0), Text{en + ", sent as " + how + ".", zh + "，以 " + how + " 发送。"})
	return true
}
