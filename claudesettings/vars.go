package claudesettings

import (
	"errors"
	"fmt"
	"strings"
)

// ErrOutOfRange is a value Claude Code would reject or misread.
var ErrOutOfRange = errors.New("value out of range")

// The variables of Claude Code's environment that Claude Medic reads, shows or tunes.
const (
	VarBaseURL        = "ANTHROPIC_BASE_URL"
	VarAPIKey         = "ANTHROPIC_API_KEY"
	VarAuthToken      = "ANTHROPIC_AUTH_TOKEN"
	VarHTTPSProxy     = "HTTPS_PROXY"
	VarHTTPProxy      = "HTTP_PROXY"
	VarAllProxy       = "ALL_PROXY"
	VarNoProxy        = "NO_PROXY"
	VarExtraCACerts   = "NODE_EXTRA_CA_CERTS"
	VarAPITimeout     = "API_TIMEOUT_MS"
	VarMaxRetries     = "CLAUDE_CODE_MAX_RETRIES"
	VarBashTimeout    = "BASH_DEFAULT_TIMEOUT_MS"
	VarBashMaxTimeout = "BASH_MAX_TIMEOUT_MS"
	VarMCPTimeout     = "MCP_TIMEOUT"
	VarMCPToolTimeout = "MCP_TOOL_TIMEOUT"
	VarNoNonessential = "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"
	VarConfigDir      = "CLAUDE_CONFIG_DIR"
	VarModel          = "ANTHROPIC_MODEL"
	VarDisableBetas   = "CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS"
	VarCertStore      = "CLAUDE_CODE_CERT_STORE"
	VarNodeOptions    = "NODE_OPTIONS"
	KeyAPIKeyHelper   = "apiKeyHelper" // a top-level settings key, not a variable
	EnvKey            = "env"
)

// ProxyVars are the variables Claude Code takes its proxy from, the first
// set winning: lower case before upper case, https before http, then
// all_proxy (each order measured with Claude Code 2.1.330, which also uses
// http_proxy for its https:// requests).
var ProxyVars = []string{ProxyVar, VarHTTPSProxy, "http_proxy", VarHTTPProxy, "all_proxy", VarAllProxy}

// ProxyVar is the variable a proxy is saved in (ProxyEdits): https_proxy,
// the first of ProxyVars, so the saved proxy is the one Claude Code reads.
const ProxyVar = "https_proxy"

// NoProxyVars are the variables Claude Code takes NO_PROXY from: no_proxy
// when it is set, else NO_PROXY (measured: the two are not merged).
var NoProxyVars = []string{"no_proxy", VarNoProxy}

// CheckValue checks the value of an environment variable as Claude Code
// reads it (the table's Read): an error when Claude Code would not read it
// as written, saying what it will do. An empty value (which unsets the
// variable) is always fine. The error wraps ErrOutOfRange and never holds a
// credential.
func CheckValue(name, value string) error {
	if value == "" {
		return nil
	}
	switch strings.ToUpper(name) {
	case VarHTTPSProxy, VarHTTPProxy, VarAllProxy: // its own error (ErrSocksProxy)
		if err := CheckProxyURL(value); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}
	return Read(name, value).Problem.Err()
}

// ErrSocksProxy is a socks:// proxy: Claude Code supports HTTP and HTTPS proxies only.
var ErrSocksProxy = errors.New("Claude Code supports HTTP and HTTPS proxies only, not SOCKS (it fails with UnsupportedProxyProtocol); use the proxy's HTTP port, or a local HTTP-to-SOCKS bridge")

// CheckProxyURL checks a proxy address the way Claude Code reads it
// (claudesettings.ParseProxyURL: a complete http:// or https:// URL with a host;
// basic auth in it is fine, percent-encoded). The error never holds the
// password.
func CheckProxyURL(raw string) error {
	_, err := ParseProxyURL(raw)
	var pe *ProxyURLError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, ErrProxySOCKS):
		return ErrSocksProxy
	case errors.As(err, &pe) && !pe.Unparsable:
		return fmt.Errorf("%q cannot be used as a proxy: %s: %w", RedactProxyURL(raw), pe.Reason.EN, ErrOutOfRange)
	}
	return fmt.Errorf("%q is not a URL Claude Code can read (%v), so it refuses to start; write it like http://proxy.example.com:8080: %w", RedactProxyURL(raw), err, ErrOutOfRange)
}

// DisplayValue is a variable's value as Claude Medic shows it: a credential
// masked, a proxy's password hidden.
func DisplayValue(name, value string) string {
	switch {
	case value == "":
		return ""
	case IsSecret(name):
		return MaskKey(value)
	case strings.HasSuffix(strings.ToUpper(name), "_PROXY") && strings.ToUpper(name) != VarNoProxy, name == VarBaseURL:
		return RedactProxyURL(value)
	}
	return value
}

// The variables of the cloud providers that Claude Medic reads.
const (
	VarUseBedrock        = "CLAUDE_CODE_USE_BEDROCK"
	VarUseVertex         = "CLAUDE_CODE_USE_VERTEX"
	VarUseFoundry        = "CLAUDE_CODE_USE_FOUNDRY"
	VarBedrockBaseURL    = "ANTHROPIC_BEDROCK_BASE_URL"
	VarVertexBaseURL     = "ANTHROPIC_VERTEX_BASE_URL"
	VarFoundryBaseURL    = "ANTHROPIC_FOUNDRY_BASE_URL"
	VarFoundryResource   = "ANTHROPIC_FOUNDRY_RESOURCE"
	VarFoundryAPIKey     = "ANTHROPIC_FOUNDRY_API_KEY"
	VarAWSRegion         = "AWS_REGION"
	VarAWSDefaultRegion  = "AWS_DEFAULT_REGION"
	VarAWSProfile        = "AWS_PROFILE"
	VarAWSBearerToken    = "AWS_BEARER_TOKEN_BEDROCK"
	VarCloudMLRegion     = "CLOUD_ML_REGION"
	VarVertexProjectID   = "ANTHROPIC_VERTEX_PROJECT_ID"
	VarGoogleCredentials = "GOOGLE_APPLICATION_CREDENTIALS"
	VarSkipBedrockAuth   = "CLAUDE_CODE_SKIP_BEDROCK_AUTH"
	VarSkipVertexAuth    = "CLAUDE_CODE_SKIP_VERTEX_AUTH"
	VarSkipFoundryAuth   = "CLAUDE_CODE_SKIP_FOUNDRY_AUTH"
)

// MaxAPITimeoutMS is the largest API_TIMEOUT_MS Claude Code accepts: a
// JavaScript timer's limit, above which the timer fires at once. The same
// bound holds for every timeout Claude Code reads in milliseconds; it is the
// one constant the checks, the settings editor and the window use.
const MaxAPITimeoutMS = 2147483647

// VarOAuthToken is the long-lived claude.ai token `claude setup-token` makes.
const VarOAuthToken = "CLAUDE_CODE_OAUTH_TOKEN"

// VarSecureStorageDir moves Claude Code's saved login away from its config folder.
const VarSecureStorageDir = "CLAUDE_SECURESTORAGE_CONFIG_DIR"
