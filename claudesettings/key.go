package claudesettings

// Prefixes of Anthropic's credentials.
const (
	PrefixAPIKey     = "sk-ant-api" // an API key, sent as x-api-key
	PrefixOAuthToken = "sk-ant-oat" // an OAuth token, sent as Authorization: Bearer
)

// MaskKey shows at most the first 12 and last 4 characters of a secret, and
// never more than a third of it, so a report can say which key was used
// without holding it.
func MaskKey(s string) string {
	r := []rune(s)
	show := len(r) / 3
	tail := min(4, show/4)
	head := min(12, show-tail)
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}
