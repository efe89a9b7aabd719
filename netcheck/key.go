package netcheck

import (
	"strings"
	"unicode/utf8"

	"claudemedic/claudesettings"
)

// InspectKey returns the problems with a credential's shape for the way it is
// sent: KEY_MALFORMED (quotes, whitespace, a newline, non-ASCII, cut short) or
// KEY_WRONG_KIND (an OAuth token sent as an API key or the other way round).
// A well-formed credential gives none. The findings never hold the secret.
func InspectKey(secret string, kind claudesettings.CredentialKind) []Finding {
	malformed := func(en, zh string) []Finding {
		return []Finding{newFinding(KeyMalformed, CheckKey, claudesettings.Text{EN: en, ZH: zh})}
	}
	switch {
	case secret == "":
		return nil
	case strings.TrimSpace(secret) != secret:
		return malformed("The key starts or ends with a space or a line break.", "密钥开头或结尾有空格或换行。")
	case len(secret) >= 2 && strings.ContainsAny(secret[:1], `"'`) && secret[len(secret)-1] == secret[0]:
		return malformed("The key is wrapped in quotes.", "密钥被引号包住了。")
	case strings.ContainsAny(secret, " \t\r\n"):
		return malformed("The key has a space or a line break inside it.", "密钥中间有空格或换行。")
	case !utf8.ValidString(secret) || !printableASCII(secret):
		return malformed("The key has characters that are not plain ASCII (often a smart quote or a dash from a document).", "密钥中含有非 ASCII 字符（常见于从文档复制来的引号或破折号）。")
	case strings.HasPrefix(secret, "sk-ant-") && len(secret) < 40:
		return malformed("The key is too short: it looks cut off when it was copied.", "密钥太短：复制时可能被截断了。")
	case (kind == claudesettings.KindAPIKey || kind == claudesettings.KindKeyAndBearer) && strings.HasPrefix(secret, claudesettings.PrefixOAuthToken):
		return []Finding{newFinding(KeyWrongKind, CheckKey, claudesettings.Text{EN: "An OAuth token (sk-ant-oat…) is set where an API key belongs (ANTHROPIC_API_KEY or apiKeyHelper).", ZH: "在应填 API 密钥的位置（ANTHROPIC_API_KEY 或 apiKeyHelper）填入了 OAuth 令牌（sk-ant-oat…）。"})}
	case kind == claudesettings.KindBearer && strings.HasPrefix(secret, claudesettings.PrefixAPIKey):
		return []Finding{newFinding(KeyWrongKind, CheckKey, claudesettings.Text{EN: "An API key (sk-ant-api…) is set in ANTHROPIC_AUTH_TOKEN, which is sent as a Bearer token.", ZH: "API 密钥（sk-ant-api…）被放进了 ANTHROPIC_AUTH_TOKEN，它会作为 Bearer 令牌发送。"})}
	case kind == claudesettings.KindOAuth && strings.HasPrefix(secret, claudesettings.PrefixAPIKey):
		return []Finding{newFinding(KeyWrongKind, CheckKey, claudesettings.Text{EN: "An API key (sk-ant-api…) is set where an OAuth token belongs (CLAUDE_CODE_OAUTH_TOKEN); put it in ANTHROPIC_API_KEY instead.", ZH: "在应填 OAuth 令牌的位置（CLAUDE_CODE_OAUTH_TOKEN）填入了 API 密钥（sk-ant-api…）；请改放到 ANTHROPIC_API_KEY。"})}
	}
	return nil
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7e {
			return false
		}
	}
	return true
}
