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
)
