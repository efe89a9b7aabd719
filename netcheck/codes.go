package netcheck

// Code is a stable finding code from DESIGN.md's catalogue. Codes are an
// interface (the CLI's JSON, the wizard and the tests use them): add freely,
// never rename.
type Code string

// The catalogue of finding codes.
const (
	ConfigInvalid         Code = "CONFIG_INVALID"
	KeyMissing            Code = "KEY_MISSING"
	KeyMalformed          Code = "KEY_MALFORMED"
	KeyWrongKind          Code = "KEY_WRONG_KIND"
	DNSFailed             Code = "DNS_FAILED"
	TCPTimeout            Code = "TCP_TIMEOUT"
	TCPRefused            Code = "TCP_REFUSED"
	ProxyURLInvalid       Code = "PROXY_URL_INVALID"
	ProxyUnreachable      Code = "PROXY_UNREACHABLE"
	ProxyAuthRequired     Code = "PROXY_AUTH_REQUIRED"
	ProxyRefused          Code = "PROXY_REFUSED"
	ProxyCatchesLocal     Code = "PROXY_CATCHES_LOCAL"
	ProxySocksUnsupported Code = "PROXY_SOCKS_UNSUPPORTED"
	TLSHandshakeTimeout   Code = "TLS_HANDSHAKE_TIMEOUT"
	TLSReset              Code = "TLS_RESET"
	TLSOldVersion         Code = "TLS_OLD_VERSION"
	TLSUntrusted          Code = "TLS_UNTRUSTED"
	TLSHostnameMismatch   Code = "TLS_HOSTNAME_MISMATCH"
	TLSExpired            Code = "TLS_EXPIRED"
	TLSIntercepted        Code = "TLS_INTERCEPTED"
	HTTP2Unavailable      Code = "HTTP2_UNAVAILABLE"
	ClockSkew             Code = "CLOCK_SKEW"
	NotAnthropicAPI       Code = "NOT_ANTHROPIC_API"
	AuthInvalid           Code = "AUTH_INVALID"
	AuthForbidden         Code = "AUTH_FORBIDDEN"
	RegionBlocked         Code = "REGION_BLOCKED"
	Billing               Code = "BILLING"
	APIVersionRejected    Code = "API_VERSION_REJECTED"
	RateLimited           Code = "RATE_LIMITED"
	Overloaded            Code = "OVERLOADED"
	ServerError           Code = "SERVER_ERROR"
	SlowResponse          Code = "SLOW_RESPONSE"
	StreamEmpty           Code = "STREAM_EMPTY"
	StreamTruncated       Code = "STREAM_TRUNCATED"
	StreamErrorEvent      Code = "STREAM_ERROR_EVENT"
	StreamBuffered        Code = "STREAM_BUFFERED"
	StreamStalled         Code = "STREAM_STALLED"
	UpstreamIncident      Code = "UPSTREAM_INCIDENT"
	TimeoutTooLow         Code = "TIMEOUT_TOO_LOW"

	// Added with the engine: causes the table above does not name.
	TLSHandshakeFailed Code = "TLS_HANDSHAKE_FAILED" // the handshake failed for another reason (no common cipher, a bad alert)
	NoResponse         Code = "NO_RESPONSE"          // the request was sent but no answer came, or the connection dropped
	UnexpectedResponse Code = "UNEXPECTED_RESPONSE"  // the API answered with an error no other code describes (warn)

	// Added with "What Claude Code really does": the credential it picks, the
	// request it makes, the route it takes, and the cloud providers.
	LoginExpired            Code = "LOGIN_EXPIRED"             // the claude.ai login's token is expired or revoked: run /login
	KeyOverridesLogin       Code = "KEY_OVERRIDES_LOGIN"       // an API key or token set in the environment or settings wins over a saved claude.ai login (warn)
	AuthConflict            Code = "AUTH_CONFLICT"             // two credentials are set; Claude Code sends both on one request (warn)
	KeyHelperFailed         Code = "KEY_HELPER_FAILED"         // apiKeyHelper exits non-zero, hangs, prints nothing or more than one token
	BaseURLPath             Code = "BASE_URL_PATH"             // ANTHROPIC_BASE_URL carries a path that breaks Claude Code's request paths (…/v1)
	BaseURLScheme           Code = "BASE_URL_SCHEME"           // http:// to a port that speaks TLS, or https:// to one that speaks plain HTTP
	NotAnthropicFormat      Code = "NOT_ANTHROPIC_FORMAT"      // the endpoint speaks the OpenAI chat format, not the Messages API
	BetaRejected            Code = "BETA_REJECTED"             // the gateway rejects the anthropic-beta values Claude Code sends
	ModelUnavailable        Code = "MODEL_UNAVAILABLE"         // the model Claude Code is set to use is not offered at this endpoint
	IPv6Broken              Code = "IPV6_BROKEN"               // the host's IPv6 addresses fail while its IPv4 ones work
	TLSPQBlocked            Code = "TLS_PQ_BLOCKED"            // the handshake is reset with a post-quantum key share and succeeds without one
	CAFileInvalid           Code = "CA_FILE_INVALID"           // NODE_EXTRA_CA_CERTS names a missing, unreadable or DER file, or one with no CA (warn)
	CloudCredentialsMissing Code = "CLOUD_CREDENTIALS_MISSING" // Bedrock, Vertex or Foundry is selected and its credentials are nowhere Claude Code looks
	CloudRegionMissing      Code = "CLOUD_REGION_MISSING"      // Bedrock or Vertex without a region (warn: Claude Code falls back to its default), Foundry without a resource
	BaseURLCredentials      Code = "BASE_URL_CREDENTIALS"      // ANTHROPIC_BASE_URL holds a user name and password, sent as HTTP Basic auth (warn)

	// Added for teams: the Claude Code installed on this machine.
	ClaudeCodeOutdated Code = "CLAUDE_CODE_OUTDATED"  // a newer Claude Code is published (warn)
	ClaudeCodeMultiple Code = "CLAUDE_CODE_MULTIPLE"  // two installs of Claude Code (npm and native) on the PATH (warn)
	ClaudeCodeNotFound Code = "CLAUDE_CODE_NOT_FOUND" // no Claude Code is installed where a shell would find it (warn)
	// The claude a shell runs prints no version to `claude --version` (garbage, an error, or a hang) (warn).
	ClaudeCodeVersionUnknown Code = "CLAUDE_CODE_VERSION_UNKNOWN"

	// Added with "Claude Code's verdict by construction" (issue 15): what
	// gateways and routers do to the request Claude Code makes now.
	CustomHeadersInvalid Code = "CUSTOM_HEADERS_INVALID" // ANTHROPIC_CUSTOM_HEADERS has a name Claude Code refuses (it sends nothing), or a line it drops (warn)
	// A gateway refuses the system role Claude Code puts inside messages (422
	// "Input should be 'user' or 'assistant'"): advice (warn) when the
	// installed Claude Code retries without it, a failure when it does not.
	SystemRoleRejected      Code = "SYSTEM_ROLE_REJECTED"
	ParamRejected           Code = "PARAM_REJECTED"              // a gateway refuses a request parameter Claude Code sends (thinking, context_management, output_config, …)
	GatewayPage             Code = "GATEWAY_PAGE"                // a web application firewall's or gateway's block page instead of an API answer
	BodyTooLarge            Code = "BODY_TOO_LARGE"              // 413: the gateway's body limit is below the size of Claude Code's requests
	ClaudeCodeVersionTooOld Code = "CLAUDE_CODE_VERSION_TOO_OLD" // the model or the API asks for a newer Claude Code
	UpstreamRejected        Code = "UPSTREAM_ERROR"              // a router passed on its upstream provider's refusal, named as the upstream's
	RequestRefused          Code = "REQUEST_REFUSED"             // POST /v1/messages refused with a 400 or 422 no other code describes: Claude Code fails on it
)
