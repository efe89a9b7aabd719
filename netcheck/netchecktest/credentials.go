package netchecktest

import (
	"errors"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

// The scenarios of which credential Claude Code sends: their Target carries
// the shadowed credentials, a failed apiKeyHelper, a saved login or a cloud
// provider, as claudecfg resolves them.
const (
	AuthConflict            Scenario = Scenario(netcheck.AuthConflict)            // ANTHROPIC_AUTH_TOKEN (refused) and ANTHROPIC_API_KEY both sent: AUTH_INVALID too, as measured
	KeyOverridesLogin       Scenario = Scenario(netcheck.KeyOverridesLogin)       // an API key with no credit over a saved claude.ai login: BILLING too, as measured
	KeyHelperFailed         Scenario = Scenario(netcheck.KeyHelperFailed)         // apiKeyHelper exits 1
	CloudCredentialsMissing Scenario = Scenario(netcheck.CloudCredentialsMissing) // Bedrock (at the fake) with no AWS credentials
	CloudRegionMissing      Scenario = Scenario(netcheck.CloudRegionMissing)      // Vertex (at the fake) with no region: Claude Code's default us-east5 (warn)
	OAuthLogin              Scenario = "OAUTH_LOGIN"                              // healthy: a claude.ai subscriber with no API key; the fake takes TestToken only with the oauth beta
)

// RefusedToken is the stale gateway token of AuthConflict, which the fake refuses.
const RefusedToken = "gateway-token-netchecktest-refused-0123456789abcdefghijklmnopqrstuvwxyz"

// HelperError is what the failing apiKeyHelper of KeyHelperFailed says.
const HelperError = "exited 1: error: SSO session expired, run vault login"

func init() {
	scenarios = append(scenarios, AuthConflict, KeyOverridesLogin, KeyHelperFailed, CloudCredentialsMissing, CloudRegionMissing, OAuthLogin)
	variantCode[OAuthLogin] = ""
	also[AuthConflict] = []netcheck.Code{netcheck.AuthInvalid}
	also[KeyOverridesLogin] = []netcheck.Code{netcheck.Billing}
}

// credentialTarget sets the credentials or the provider of these scenarios
// on t, whose base URL is the fake's (base).
func credentialTarget(sc Scenario, t *claudesettings.Target, base string) {
	flag := func(v string) claudesettings.Setting {
		return claudesettings.Setting{Value: v, Source: claudesettings.SourceFlag}
	}
	switch sc {
	case AuthConflict:
		t.Credential = claudesettings.Credential{Secret: RefusedToken, Kind: claudesettings.KindBearer, Source: claudesettings.SourceFlag, Var: "ANTHROPIC_AUTH_TOKEN"}
		t.Shadowed = []claudesettings.Credential{{Secret: TestKey, Kind: claudesettings.KindAPIKey, Source: claudesettings.SourceFlag, Var: "ANTHROPIC_API_KEY"}}
	case KeyOverridesLogin:
		t.Shadowed = []claudesettings.Credential{savedLogin()}
	case KeyHelperFailed:
		t.Credential = claudesettings.Credential{Kind: claudesettings.KindKeyAndBearer, Source: claudesettings.SourceAPIKeyHelper, Var: "apiKeyHelper",
			Err: errors.New(HelperError)}
	case OAuthLogin:
		t.Credential = savedLogin()
	case CloudCredentialsMissing:
		t.Credential = claudesettings.Credential{}
		t.Provider = claudesettings.Provider{Name: claudesettings.ProviderBedrock, Var: "CLAUDE_CODE_USE_BEDROCK", Source: claudesettings.SourceFlag,
			Region: flag("us-east-1"), Endpoint: flag(base + "/bedrock")}
	case CloudRegionMissing:
		t.Credential = claudesettings.Credential{}
		t.Provider = claudesettings.Provider{Name: claudesettings.ProviderVertex, Var: "CLAUDE_CODE_USE_VERTEX", Source: claudesettings.SourceFlag,
			Region:      claudesettings.Setting{Value: "us-east5", Source: claudesettings.SourceDefault},
			Endpoint:    flag(base + "/vertex_ai/v1"),
			Credentials: claudesettings.Setting{Value: "gcloud's application default credentials", Source: claudesettings.SourceDefault}}
	}
}

// savedLogin is a claude.ai Max login saved by /login, holding TestToken.
func savedLogin() claudesettings.Credential {
	return claudesettings.Credential{Secret: TestToken, Kind: claudesettings.KindOAuth, Source: claudesettings.SourceCredentialsFile,
		Label: "claude.ai login (Max)", File: "/home/netchecktest/.claude/.credentials.json", ExpiresAt: time.Now().Add(8 * time.Hour)}
}
