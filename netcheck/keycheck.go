package netcheck

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"claudemedic/claudesettings"
)

// checkKey runs the key check: which credential Claude Code would send and
// which ones it hides, the winner's shape, and, with a cloud provider,
// whether that provider's region and credentials are where Claude Code
// looks. It returns whether an Anthropic credential can be sent.
func (r *run) checkKey() bool {
	t0 := time.Now()
	t := r.target
	if t.Provider.Name != "" {
		r.checkProviderKey(t0)
		return false
	}
	c := t.Credential
	warns := keyWarnings(t)
	switch {
	case c.Err != nil && c.Source == claudesettings.SourceAPIKeyHelper:
		n, nZH := named(c)
		f := newFinding(KeyHelperFailed, CheckKey, claudesettings.Text{EN: n + " gives no usable key: " + c.Err.Error() + ".", ZH: nZH + " 没有给出可用的密钥：" + c.Err.Error() + "。"})
		r.finish(CheckKey, StatusFail, time.Since(t0), f.Summary, append(warns, f)...)
		return false
	case c.Secret == "":
		f := newFinding(KeyMissing, CheckKey, missingText(t))
		r.finish(CheckKey, StatusFail, time.Since(t0), f.Summary, append(warns, f)...)
		return false
	}
	if trimmed := strings.TrimSpace(c.Secret); trimmed != c.Secret && trimmed != "" && c.Kind == claudesettings.KindAPIKey && c.Source != claudesettings.SourceAPIKeyHelper {
		// Claude Code trims ANTHROPIC_API_KEY: with a trailing line break or
		// spaces around it, 2.1.332 answered (scripts/differential.sh). Check
		// with the key it sends, and say so as a warning.
		f := newFinding(KeyMalformed, CheckKey, claudesettings.Text{EN: "The key starts or ends with a space or a line break; Claude Code trims it, so it works, but other tools may not.", ZH: "密钥开头或结尾有空格或换行；Claude Code 会去掉它们，所以可以工作，但其他工具未必如此。"})
		f.Severity = SeverityWarn
		warns = append(warns, f)
		c.Secret = trimmed
		r.target.Credential.Secret = trimmed
	}
	if fs := InspectKey(c.Secret, c.Kind); len(fs) > 0 {
		r.finish(CheckKey, StatusFail, time.Since(t0), fs[0].Summary, append(warns, fs...)...)
		return false
	}
	// A credential sent beside the winner (ANTHROPIC_API_KEY under
	// ANTHROPIC_AUTH_TOKEN) breaks the request too when its shape is wrong.
	for _, s := range t.Shadowed {
		if s.Secret == "" || s.Kind == claudesettings.KindOAuth || !t.SentBeside(s) {
			continue
		}
		if fs := InspectKey(s.Secret, s.Kind); len(fs) > 0 {
			n, nZH := named(s)
			for i := range fs {
				fs[i].Summary = claudesettings.Text{EN: n + ", sent beside " + c.Name() + ": " + fs[i].Summary.EN, ZH: nZH + "（与 " + c.Name() + " 一同发送）：" + fs[i].Summary.ZH}
			}
			r.finish(CheckKey, StatusFail, time.Since(t0), fs[0].Summary, append(warns, fs...)...)
			return false
		}
	}
	r.finish(CheckKey, StatusPass, time.Since(t0), winnerText(t), warns...)
	return true
}

// where says where a credential is set, for a sentence: "(ANTHROPIC_API_KEY, shell)".
func where(c claudesettings.Credential) string {
	var parts []string
	for _, s := range []string{c.Var, string(c.Source), c.File} {
		if s != "" && !strings.Contains(c.Name(), s) {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

func whereZH(c claudesettings.Credential) string {
	w := where(c)
	if w == "" {
		return ""
	}
	return "（" + strings.ReplaceAll(strings.Trim(w, "()"), ", ", "，") + "）"
}

// named is a credential for a sentence: its name, masked value and place.
func named(c claudesettings.Credential) (en, zh string) {
	en, zh = c.Name(), c.Name()
	if c.Secret != "" {
		en, zh = en+" "+claudesettings.MaskKey(c.Secret), zh+" "+claudesettings.MaskKey(c.Secret)
	}
	if w := where(c); w != "" {
		en, zh = en+" "+w, zh+whereZH(c)
	}
	return en, zh
}

// isLogin reports whether c is the claude.ai login saved by /login.
func isLogin(c claudesettings.Credential) bool {
	return c.Source == claudesettings.SourceCredentialsFile || c.Source == claudesettings.SourceLoginKeychain
}

// keyWarnings are AUTH_CONFLICT (two different credentials go on one
// request) and KEY_OVERRIDES_LOGIN (a key or token set in the environment or
// settings wins over a saved claude.ai login).
func keyWarnings(t claudesettings.Target) []Finding {
	var out []Finding
	c := t.Credential
	if hs := t.CredentialHeaders(); len(hs) == 2 && hs[0].From.Secret != hs[1].From.Secret {
		a, aZH := named(hs[0].From)
		b, bZH := named(hs[1].From)
		out = append(out, newFinding(AuthConflict, CheckKey, claudesettings.Text{EN: fmt.Sprintf("%s and %s are both set: Claude Code sends both on every request, the first as Authorization: Bearer, the second as x-api-key, and which one counts is up to the server.", a, b), ZH: fmt.Sprintf("同时设置了 %s 和 %s：Claude Code 每次请求都会同时发送两者，前者作为 Authorization: Bearer，后者作为 x-api-key，以哪个为准由服务器决定。", aZH, bZH)}))
	}
	if c.Set() && !isLogin(c) && c.Kind != claudesettings.KindOAuth {
		for _, s := range t.Shadowed {
			if isLogin(s) && s.Secret != "" {
				w, wZH := named(c)
				out = append(out, newFinding(KeyOverridesLogin, CheckKey, claudesettings.Text{EN: fmt.Sprintf("%s takes precedence over your %s: Claude Code uses it instead of your subscription (a key is billed per use).", w, s.Name()), ZH: fmt.Sprintf("%s 优先于你的 %s：Claude Code 会用它而不是你的订阅（密钥按用量计费）。", wZH, s.Name())}))
				break
			}
		}
	}
	return out
}

// missingText says that nothing usable is set, as Claude Code does ("Not
// logged in · Please run /login"), and names a saved login that could not be
// read and a keychain key Claude Code does not read.
func missingText(t claudesettings.Target) claudesettings.Text {
	en := "Claude Code finds no login, API key or token anywhere it looks: it says \"Not logged in · Please run /login\"."
	zh := "Claude Code 在它查找的所有位置都没有找到登录、API 密钥或令牌：它会提示 \"Not logged in · Please run /login\"。"
	for _, c := range append([]claudesettings.Credential{t.Credential}, t.Shadowed...) {
		if c.Err != nil {
			en += fmt.Sprintf(" %s %s cannot be used: %v.", c.Name(), where(c), c.Err)
			zh += fmt.Sprintf("%s%s无法使用：%v。", c.Name(), whereZH(c), c.Err)
		}
	}
	if t.UnusedKeychainKey {
		en += " Claude Medic's keychain holds a key, but Claude Code does not read it: no apiKeyHelper runs `claudemedic key print` (claudemedic key use-with-claude-code sets it up)."
		zh += "Claude Medic 的钥匙串中存有密钥，但 Claude Code 不会读取：没有 apiKeyHelper 运行 `claudemedic key print`（可用 claudemedic key use-with-claude-code 设置）。"
	}
	return claudesettings.Text{EN: en, ZH: zh}
}

// winnerText is the key check's passing summary: the credential, how it is
// sent and where, its expiry, what it hides, and an unused keychain key.
func winnerText(t claudesettings.Target) claudesettings.Text {
	c := t.Credential
	w, wZH := named(c)
	en := fmt.Sprintf("%s, sent as %s", w, c.Kind.SentAs())
	zh := fmt.Sprintf("%s，以 %s 发送", wZH, c.Kind.SentAs())
	if c.Kind == claudesettings.KindOAuth {
		if host := baseHost(t); host != "" && !anthropicHost(host) {
			en += " to " + host + " (Claude Code sends the login to ANTHROPIC_BASE_URL too)"
			zh += "到 " + host + "（Claude Code 也会把登录发给 ANTHROPIC_BASE_URL）"
		}
	}
	en, zh = en+".", zh+"。"
	if !c.ExpiresAt.IsZero() {
		at := c.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")
		if c.ExpiresAt.Before(time.Now()) {
			en += " Its access token expired at " + at + "; Claude Code renews it by itself when it next runs."
			zh += "其访问令牌已于 " + at + " 过期；Claude Code 下次运行时会自行续期。"
		} else {
			en += " Its access token expires at " + at + "; Claude Code renews it by itself."
			zh += "其访问令牌将于 " + at + " 过期；Claude Code 会自行续期。"
		}
	}
	sent := map[string]bool{}
	for _, h := range t.CredentialHeaders() {
		sent[h.From.Secret] = true
	}
	var hidden, hiddenZH []string
	for _, s := range t.Shadowed {
		if s.Secret != "" && sent[s.Secret] {
			continue // named by AUTH_CONFLICT
		}
		n, nZH := named(s)
		if s.Err != nil {
			n += ": " + s.Err.Error()
			nZH += "：" + s.Err.Error()
		}
		hidden, hiddenZH = append(hidden, n), append(hiddenZH, nZH)
	}
	if len(hidden) > 0 {
		en += " Also set, and not used: " + strings.Join(hidden, "; ") + "."
		zh += "另外还设置了以下凭据，但不会被使用：" + strings.Join(hiddenZH, "；") + "。"
	}
	if t.UnusedKeychainKey {
		en += " Claude Medic's keychain holds a key that Claude Code does not read (no apiKeyHelper runs `claudemedic key print`)."
		zh += "Claude Medic 的钥匙串中存有一个 Claude Code 不会读取的密钥（没有 apiKeyHelper 运行 `claudemedic key print`）。"
	}
	return claudesettings.Text{EN: en, ZH: zh}
}

// baseHost is the host of the target's base URL, "" when it does not parse.
func baseHost(t claudesettings.Target) string {
	b, _ := claudesettings.Target{BaseURL: t.BaseURL}.EffectiveBaseURL() // ANTHROPIC_BASE_URL, or the default
	u, err := url.Parse(b.Value)
	if err != nil {
		return ""
	}
	return u.Host
}

// anthropicHost reports whether host is Anthropic's own API.
func anthropicHost(host string) bool {
	h := strings.ToLower(host)
	if i := strings.LastIndexByte(h, ':'); i >= 0 && !strings.Contains(h[i:], "]") {
		h = h[:i]
	}
	return h == "anthropic.com" || strings.HasSuffix(h, ".anthropic.com")
}

// providerLooks says where Claude Code looks for each provider's credentials.
var providerLooks = map[claudesettings.ProviderName]claudesettings.Text{
	claudesettings.ProviderBedrock: {
		EN: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_BEARER_TOKEN_BEDROCK, the profile (AWS_PROFILE, else default) in ~/.aws/credentials or ~/.aws/config (keys, SSO, credential_process, role), a web identity token, or the awsCredentialExport setting",
		ZH: "AWS_ACCESS_KEY_ID 和 AWS_SECRET_ACCESS_KEY、AWS_BEARER_TOKEN_BEDROCK、~/.aws/credentials 或 ~/.aws/config 中的配置文件（AWS_PROFILE，默认 default；密钥、SSO、credential_process 或角色）、Web 身份令牌，或 awsCredentialExport 设置"},
	claudesettings.ProviderVertex: {
		EN: "GOOGLE_APPLICATION_CREDENTIALS, or gcloud's application default credentials (gcloud auth application-default login)",
		ZH: "GOOGLE_APPLICATION_CREDENTIALS，或 gcloud 的应用默认凭据（gcloud auth application-default login）"},
	claudesettings.ProviderFoundry: {
		EN: "ANTHROPIC_FOUNDRY_API_KEY, the AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET variables, or a sign-in of the Azure CLI (az login) or the Azure Developer CLI",
		ZH: "ANTHROPIC_FOUNDRY_API_KEY、AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET 变量，或 Azure CLI（az login）或 Azure Developer CLI 的登录"},
}

// checkProviderKey is the key check with a cloud provider: its endpoint,
// region and credentials, and the Anthropic credentials it leaves unused.
func (r *run) checkProviderKey(t0 time.Time) {
	t := r.target
	p := t.Provider
	title := p.Name.Title()
	sel := fmt.Sprintf("%s is selected (%s, %s)", title, p.Var, p.Source)
	selZH := fmt.Sprintf("已选择 %s（%s，%s）", title, p.Var, p.Source)
	var fs []Finding
	switch {
	case !p.Endpoint.Set():
		f := newFinding(CloudRegionMissing, CheckKey, claudesettings.Text{EN: sel + ", but neither ANTHROPIC_FOUNDRY_RESOURCE nor ANTHROPIC_FOUNDRY_BASE_URL is set: Claude Code has no endpoint to call.", ZH: selZH + "，但 ANTHROPIC_FOUNDRY_RESOURCE 和 ANTHROPIC_FOUNDRY_BASE_URL 都没有设置：Claude Code 没有可调用的端点。"})
		f.Severity = SeverityFail
		fs = append(fs, f)
	case p.Region.Source == claudesettings.SourceDefault && !(p.Name == claudesettings.ProviderBedrock && p.SkipAuth):
		// Bedrock signs with the region and Vertex puts it in the path, even
		// through a gateway; only a gateway that signs Bedrock's requests
		// itself has no use for it.
		v := map[claudesettings.ProviderName]string{claudesettings.ProviderBedrock: "AWS_REGION", claudesettings.ProviderVertex: "CLOUD_ML_REGION"}[p.Name]
		fs = append(fs, newFinding(CloudRegionMissing, CheckKey, claudesettings.Text{EN: fmt.Sprintf("%s, but no region is set: Claude Code calls %s, its default, where your Claude models may not be enabled. Set %s.", sel, p.Region.Value, v), ZH: fmt.Sprintf("%s，但没有设置区域：Claude Code 会调用其默认区域 %s，你的 Claude 模型可能未在该区域启用。请设置 %s。", selZH, p.Region.Value, v)}))
	}
	if !p.SkipAuth && !p.Credentials.Set() {
		looks := providerLooks[p.Name]
		en := fmt.Sprintf("%s, but its credentials are nowhere Claude Code looks: %s.", sel, looks.EN)
		zh := fmt.Sprintf("%s，但在 Claude Code 查找的位置都没有它的凭据：%s。", selZH, looks.ZH)
		if p.CredentialsProblem != "" {
			en += " " + p.CredentialsProblem + "."
			zh += p.CredentialsProblem + "。"
		}
		fs = append(fs, newFinding(CloudCredentialsMissing, CheckKey, claudesettings.Text{EN: en, ZH: zh}))
	}
	en := fmt.Sprintf("%s (%s, %s): Claude Code calls %s", title, p.Var, p.Source, claudesettings.RedactEndpoint(p.Endpoint.Value))
	zh := fmt.Sprintf("%s（%s，%s）：Claude Code 调用 %s", title, p.Var, p.Source, claudesettings.RedactEndpoint(p.Endpoint.Value))
	if p.Region.Set() {
		en += fmt.Sprintf(", region %s (%s)", p.Region.Value, p.Region.Source)
		zh += fmt.Sprintf("，区域 %s（%s）", p.Region.Value, p.Region.Source)
	}
	switch {
	case p.SkipAuth:
		en, zh = en+"; a gateway signs the requests (CLAUDE_CODE_SKIP_*_AUTH).", zh+"；由网关为请求签名（CLAUDE_CODE_SKIP_*_AUTH）。"
	case p.Credentials.Set():
		en += fmt.Sprintf("; credentials: %s (%s).", p.Credentials.Value, p.Credentials.Source)
		zh += fmt.Sprintf("；凭据：%s（%s）。", p.Credentials.Value, p.Credentials.Source)
	default:
		en, zh = en+".", zh+"。"
	}
	var unused []string
	for _, c := range append([]claudesettings.Credential{t.Credential}, t.Shadowed...) {
		if c.Set() {
			n, _ := named(c)
			unused = append(unused, n)
		}
	}
	if len(unused) > 0 {
		en += " Not used with " + title + ": " + strings.Join(unused, "; ") + "."
		zh += "使用 " + title + " 时不会用到：" + strings.Join(unused, "；") + "。"
	}
	if len(fs) > 0 {
		en, zh = fs[0].Summary.EN, fs[0].Summary.ZH
	}
	r.finish(CheckKey, StatusPass, time.Since(t0), claudesettings.Text{EN: en, ZH: zh}, fs...)
}
