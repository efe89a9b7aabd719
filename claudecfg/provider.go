package claudecfg

import (
	"net/url"
	"strings"

	"claudemedic/claudesettings"
)

// The cloud providers as Claude Code 2.1.330 selects and reaches them (read
// from its code): CLAUDE_CODE_USE_BEDROCK, then _FOUNDRY, then _VERTEX, each
// on when it is 1, true, yes or on. None of them uses an Anthropic key.
//   - Bedrock: region AWS_REGION, else AWS_DEFAULT_REGION, else the AWS
//     profile's region, else us-east-1; endpoint ANTHROPIC_BEDROCK_BASE_URL or
//     https://bedrock-runtime.{region}.amazonaws.com.
//   - Vertex: region CLOUD_ML_REGION, else us-east5; endpoint
//     ANTHROPIC_VERTEX_BASE_URL, or https://aiplatform.googleapis.com for
//     "global", https://aiplatform.{us,eu}.rep.googleapis.com for "us" and
//     "eu", else https://{region}-aiplatform.googleapis.com.
//   - Foundry: ANTHROPIC_FOUNDRY_BASE_URL, else
//     https://{ANTHROPIC_FOUNDRY_RESOURCE}.services.ai.azure.com/anthropic/.
//   - CLAUDE_CODE_SKIP_BEDROCK_AUTH, _VERTEX_AUTH, _FOUNDRY_AUTH: a gateway
//     signs the requests, so no cloud credentials are needed on this machine.

// Claude Code's default regions when none is set.
const (
	defaultBedrockRegion = "us-east-1"
	defaultVertexRegion  = "us-east5"
)

// providerVars are the variables a provider's selection, endpoint and
// credentials are read from; the login shell is read for them too.
var providerVars = []string{
	claudesettings.VarUseBedrock, claudesettings.VarUseVertex, claudesettings.VarUseFoundry, claudesettings.VarBedrockBaseURL, claudesettings.VarVertexBaseURL, claudesettings.VarFoundryBaseURL,
	claudesettings.VarFoundryResource, claudesettings.VarFoundryAPIKey, claudesettings.VarAWSRegion, claudesettings.VarAWSDefaultRegion, claudesettings.VarAWSProfile, claudesettings.VarAWSBearerToken,
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE",
	"AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
	claudesettings.VarCloudMLRegion, claudesettings.VarVertexProjectID, claudesettings.VarGoogleCredentials, "CLOUDSDK_CONFIG",
	"AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE", "AZURE_CONFIG_DIR",
	claudesettings.VarSkipBedrockAuth, claudesettings.VarSkipVertexAuth, claudesettings.VarSkipFoundryAuth,
}

// truthy is Claude Code's reading of an on/off variable.
func truthy(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// resolveProvider picks the cloud provider Claude Code would call, its
// endpoint and region, and where its credentials are.
func (s *Settings) resolveProvider() {
	for _, p := range []struct {
		name claudesettings.ProviderName
		v    string
	}{{claudesettings.ProviderBedrock, claudesettings.VarUseBedrock}, {claudesettings.ProviderFoundry, claudesettings.VarUseFoundry}, {claudesettings.ProviderVertex, claudesettings.VarUseVertex}} {
		if v := s.Vars[p.v]; truthy(v.Value) {
			s.Provider = claudesettings.Provider{Name: p.name, Var: p.v, Source: v.Source}
			break
		}
	}
	p := &s.Provider
	set := func(name string) claudesettings.Setting {
		v := s.Vars[name]
		return claudesettings.Setting{Value: strings.TrimSpace(v.Value), Source: v.Source}
	}
	switch p.Name {
	case "":
		return
	case claudesettings.ProviderBedrock:
		aws := s.awsFiles()
		p.Region = set(claudesettings.VarAWSRegion)
		if !p.Region.Set() {
			p.Region = set(claudesettings.VarAWSDefaultRegion)
		}
		if !p.Region.Set() {
			p.Region = aws.region()
		}
		if !p.Region.Set() {
			p.Region = claudesettings.Setting{Value: defaultBedrockRegion, Source: claudesettings.SourceDefault}
		}
		p.Endpoint = set(claudesettings.VarBedrockBaseURL)
		if !p.Endpoint.Set() {
			p.Endpoint = claudesettings.Setting{Value: "https://bedrock-runtime." + p.Region.Value + ".amazonaws.com", Source: p.Region.Source}
		}
		p.SkipAuth = truthy(s.Vars[claudesettings.VarSkipBedrockAuth].Value)
		p.Credentials, p.CredentialsProblem = s.awsCredentials(aws)
	case claudesettings.ProviderVertex:
		p.Region = set(claudesettings.VarCloudMLRegion)
		if !p.Region.Set() {
			p.Region = claudesettings.Setting{Value: defaultVertexRegion, Source: claudesettings.SourceDefault}
		}
		p.Endpoint = set(claudesettings.VarVertexBaseURL)
		if !p.Endpoint.Set() {
			p.Endpoint = claudesettings.Setting{Value: vertexEndpoint(p.Region.Value), Source: p.Region.Source}
		}
		p.SkipAuth = truthy(s.Vars[claudesettings.VarSkipVertexAuth].Value)
		p.Credentials, p.CredentialsProblem = s.googleCredentials()
	case claudesettings.ProviderFoundry:
		p.Endpoint = set(claudesettings.VarFoundryBaseURL)
		if r := set(claudesettings.VarFoundryResource); !p.Endpoint.Set() && r.Set() {
			p.Endpoint = claudesettings.Setting{Value: "https://" + r.Value + ".services.ai.azure.com/anthropic/", Source: r.Source}
		}
		p.SkipAuth = truthy(s.Vars[claudesettings.VarSkipFoundryAuth].Value)
		p.Credentials, p.CredentialsProblem = s.azureCredentials()
	}
}

// vertexEndpoint is Vertex AI's endpoint for a region, as Claude Code builds it.
func vertexEndpoint(region string) string {
	switch region {
	case "global":
		return "https://aiplatform.googleapis.com"
	case "us", "eu":
		return "https://aiplatform." + region + ".rep.googleapis.com"
	}
	return "https://" + region + "-aiplatform.googleapis.com"
}

// origin is the scheme and host of a URL, which the connection checks reach;
// the URL as given when it does not parse (the config check says why).
func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host}).String()
}
