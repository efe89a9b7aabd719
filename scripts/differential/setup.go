//go:build differential

package differential

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
)

// A dimension is one thing a set-up varies. Its first value is the healthy
// default; a generated set-up moves a few dimensions off their default and
// leaves the others there, so a disagreement points at what was moved.
type dimension struct {
	name   string
	values []string
	// needs makes the set-up meaningful for a non-default value of this
	// dimension (a NO_PROXY needs a proxy; an error body needs an error).
	needs func(s Setup, r *rand.Rand)
}

// dimensions are the set-up's parts. Their names and values are the table's
// rows and the -only filter's words; keep them stable.
var dimensions = []dimension{
	{name: "host", values: []string{"name", "ip", "localhost"}},
	{name: "base_form", values: []string{"plain", "slash", "spaces", "quoted", "lowername", "bom", "v1", "upperscheme", "empty"}},
	{name: "where", values: []string{"shell", "settings", "split", "shadow"}},
	{name: "cred", values: []string{"apikey", "token", "helper", "key_spaces", "key_quoted", "key_newline", "wrong", "none", "both_token_wrong", "helper_fails", "helper_banner"}},
	{name: "tls", values: []string{"ca", "untrusted", "mismatch", "expired", "chain", "chain_missing", "ca_file_missing", "ca_der", "http", "http_to_tls"}},
	{name: "proxy", values: []string{"none", "ok", "auth", "auth_missing", "refused", "dead", "socks5", "unparsable", "noscheme", "https_scheme"}},
	{name: "proxy_var", values: []string{"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "lower_wins", "upper_loses"}, needs: needProxy},
	{name: "proxy_form", values: []string{"plain", "spaces", "quoted", "slash", "upperscheme"}, needs: needProxy},
	{name: "no_proxy", values: []string{"unset", "star", "dotdomain", "domain", "host", "localhost", "ip", "spaced", "lowername", "withport", "wildcard"}, needs: needProxy},
	{name: "status", values: append([]string{"200"}, errorStatuses...)},
	{name: "body", values: []string{"anthropic", "relay", "text", "html", "waf", "empty"}, needs: needError},
	{name: "ctype", values: []string{"right", "json", "html", "text", "none"}},
	{name: "retry_after", values: []string{"none", "0", "2", "30", "junk", "date"}, needs: needError},
	{name: "stream", values: []string{"sse", "empty", "truncated", "error_event", "buffered", "stalled", "json", "no_stop", "ping_only"}},
	{name: "nonstream", values: []string{"works", "same"}, needs: needBrokenStream},
	{name: "delay", values: []string{"0", "2s", "7s", "12s"}},
	{name: "timeout", values: []string{"unset", "5000", "30000", "spaces", "quoted", "ms_suffix", "plus", "exp", "empty", "zero", "junk", "lowername"}, needs: needDelay},
	{name: "relay", values: []string{"direct", "count_self_401", "count_self_empty", "strict_system", "unknown_param", "beta_reject", "messages_only"}},
	{name: "redirect", values: []string{"none", "301", "302", "307", "308", "loop", "other_host", "to_http"}},
	{name: "headers", values: []string{"none", "valid", "required_given", "required_missing", "unparsable_required", "multi_required"}},
	{name: "flaky", values: []string{"none", "529_once", "500_once", "reset_once", "429_once", "401_once"}},
	// retries is CLAUDE_CODE_MAX_RETRIES as written (low, so that a failing
	// set-up ends within the cap): "1x" reads as 1, with a problem; spaced
	// is " 1 ", read as 1.
	{name: "retries", values: []string{"1", "2", "1x", "spaced"}},
	// numvar is one of Claude Code's other numeric variables with a value it
	// reads otherwise than written (its default, or a clamped value).
	{name: "numvar", values: []string{"none", "bash_junk", "bash_max_negative", "mcp_unit", "mcp_tool_quoted", "bash_huge"}},
}

func dim(name string) *dimension {
	for i := range dimensions {
		if dimensions[i].name == name {
			return &dimensions[i]
		}
	}
	panic("no dimension " + name)
}

func pick(r *rand.Rand, values []string) string { return values[r.IntN(len(values))] }

func needProxy(s Setup, r *rand.Rand) {
	if s["proxy"] == "none" {
		s["proxy"] = pick(r, []string{"ok", "ok", "dead", "auth"})
	}
}

// errorStatuses are the status dimension's error values.
var errorStatuses = []string{"400", "401", "403", "404", "413", "422", "429", "500", "502", "503", "504", "529"}

func needError(s Setup, r *rand.Rand) {
	if s["status"] == "200" && s["flaky"] == "none" {
		s["status"] = pick(r, errorStatuses)
	}
}

func needBrokenStream(s Setup, r *rand.Rand) {
	if s["stream"] == "sse" {
		s["stream"] = pick(r, []string{"empty", "truncated", "error_event", "stalled", "json", "no_stop"})
	}
}

func needDelay(s Setup, r *rand.Rand) {
	if s["delay"] == "0" && r.IntN(2) == 0 {
		s["delay"] = "7s"
	}
}

// Setup is one generated set-up: a value for every dimension.
type Setup map[string]string

// Generate returns set-up number i of seed: the same seed and index always
// give the same set-up, so a run is cheap to repeat on a subset.
func Generate(seed uint64, i int) Setup {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	s := Setup{}
	for _, d := range dimensions {
		s[d.name] = d.values[0]
	}
	if i == 0 {
		return s // set-up 0 is the healthy baseline
	}
	k := 1
	switch n := r.IntN(100); {
	case n >= 75:
		k = 3
	case n >= 40:
		k = 2
	}
	order := r.Perm(len(dimensions))
	for _, j := range order[:k] {
		d := dimensions[j]
		s[d.name] = pick(r, d.values[1:])
	}
	for _, j := range order[:k] { // in the same order, so the result is deterministic
		if d := dimensions[j]; d.needs != nil {
			d.needs(s, r)
		}
	}
	return s
}

// Moved returns the dimensions off their default, "dim=value" each, in
// the dimensions' order: the set-up's short name.
func (s Setup) Moved() []string {
	var out []string
	for _, d := range dimensions {
		if v := s[d.name]; v != d.values[0] {
			out = append(out, d.name+"="+v)
		}
	}
	return out
}

func (s Setup) String() string {
	m := s.Moved()
	if len(m) == 0 {
		return "baseline"
	}
	return strings.Join(m, " ")
}

// filter is the -only filter: set-up indices ("17", "3-9") and
// "dim=value" words; a set-up passes when its index is listed, or when it
// has every dim=value word (or no word is given).
type filter struct {
	indices map[int]bool
	words   []string
}

func parseFilter(spec string) (filter, error) {
	f := filter{indices: map[int]bool{}}
	for _, w := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == ' ' }) {
		if name, value, ok := strings.Cut(w, "="); ok {
			d := func() *dimension {
				for i := range dimensions {
					if dimensions[i].name == name {
						return &dimensions[i]
					}
				}
				return nil
			}()
			if d == nil || !slices.Contains(d.values, value) {
				return f, fmt.Errorf("-only: no dimension value %q", w)
			}
			f.words = append(f.words, w)
			continue
		}
		lo, hi, isRange := strings.Cut(w, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return f, fmt.Errorf("-only: %q is neither an index nor dim=value", w)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil {
				return f, fmt.Errorf("-only: bad range %q", w)
			}
		}
		for i := a; i <= b; i++ {
			f.indices[i] = true
		}
	}
	return f, nil
}

func (f filter) empty() bool { return len(f.indices) == 0 && len(f.words) == 0 }

func (f filter) keep(i int, s Setup) bool {
	if f.empty() || f.indices[i] {
		return true
	}
	if len(f.words) == 0 {
		return false
	}
	for _, w := range f.words {
		name, value, _ := strings.Cut(w, "=")
		if s[name] != value {
			return false
		}
	}
	return true
}
