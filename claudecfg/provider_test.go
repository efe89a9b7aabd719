package claudecfg

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"claudemedic/claudesettings"
)

func TestProviders(t *testing.T) {
	isolateCloud(t)
	const awsKeys = "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
	for _, tc := range []struct {
		name     string
		environ  []string
		files    map[string]string // relative to the home folder
		settings string
		provider claudesettings.ProviderName
		region   string
		regionAt claudesettings.Source
		base     string // the Target's BaseURL
		endpoint string
		creds    string // a part of Provider.Credentials, "" for none
		problem  string // a part of Provider.CredentialsProblem
		skipAuth bool
	}{
		{name: "none", environ: []string{"CLAUDE_CODE_USE_BEDROCK=0"}, base: claudesettings.DefaultBaseURL},
		{name: "Bedrock with no region: Claude Code's default", environ: []string{"CLAUDE_CODE_USE_BEDROCK=1", "AWS_ACCESS_KEY_ID=A", "AWS_SECRET_ACCESS_KEY=B"},
			provider: claudesettings.ProviderBedrock, region: "us-east-1", regionAt: claudesettings.SourceDefault,
			base: "https://bedrock-runtime.us-east-1.amazonaws.com", endpoint: "https://bedrock-runtime.us-east-1.amazonaws.com", creds: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"},
		{name: "Bedrock: AWS_REGION before AWS_DEFAULT_REGION", environ: []string{"CLAUDE_CODE_USE_BEDROCK=true", "AWS_REGION=eu-central-1", "AWS_DEFAULT_REGION=us-west-2", "AWS_BEARER_TOKEN_BEDROCK=abc"},
			provider: claudesettings.ProviderBedrock, region: "eu-central-1", regionAt: claudesettings.SourceShell,
			base: "https://bedrock-runtime.eu-central-1.amazonaws.com", endpoint: "https://bedrock-runtime.eu-central-1.amazonaws.com", creds: "AWS_BEARER_TOKEN_BEDROCK"},
		{name: "Bedrock: the profile's region and SSO", environ: []string{"CLAUDE_CODE_USE_BEDROCK=YES", "AWS_PROFILE=work"},
			files:    map[string]string{".aws/config": "# mine\n[default]\nregion = us-east-2\n\n[profile work]\nsso_session = corp\nsso_account_id = 1111\nregion = ap-northeast-1\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"},
			provider: claudesettings.ProviderBedrock, region: "ap-northeast-1", base: "https://bedrock-runtime.ap-northeast-1.amazonaws.com",
			endpoint: "https://bedrock-runtime.ap-northeast-1.amazonaws.com", creds: "AWS_PROFILE=work: AWS SSO"},
		{name: "Bedrock: keys in ~/.aws/credentials", environ: []string{"CLAUDE_CODE_USE_BEDROCK=on", "AWS_REGION=us-west-2"},
			files:    map[string]string{".aws/credentials": awsKeys},
			provider: claudesettings.ProviderBedrock, region: "us-west-2", base: "https://bedrock-runtime.us-west-2.amazonaws.com",
			endpoint: "https://bedrock-runtime.us-west-2.amazonaws.com", creds: "the default profile: access keys in "},
		{name: "Bedrock: AWS_SHARED_CREDENTIALS_FILE and credential_process", environ: []string{"CLAUDE_CODE_USE_BEDROCK=1", "AWS_REGION=us-west-2", "AWS_PROFILE=p", "AWS_SHARED_CREDENTIALS_FILE=~/elsewhere"},
			files:    map[string]string{"elsewhere": "[p]\ncredential_process = /usr/bin/fetch-creds --json\n"},
			provider: claudesettings.ProviderBedrock, region: "us-west-2", base: "https://bedrock-runtime.us-west-2.amazonaws.com",
			endpoint: "https://bedrock-runtime.us-west-2.amazonaws.com", creds: "credential_process"},
		{name: "Bedrock through a gateway that signs", environ: []string{"CLAUDE_CODE_USE_BEDROCK=1", "AWS_REGION=us-west-2", "ANTHROPIC_BEDROCK_BASE_URL=https://litellm.corp:4000/bedrock", "CLAUDE_CODE_SKIP_BEDROCK_AUTH=1"},
			provider: claudesettings.ProviderBedrock, region: "us-west-2", base: "https://litellm.corp:4000", endpoint: "https://litellm.corp:4000/bedrock", skipAuth: true},
		{name: "Bedrock: no credentials anywhere", environ: []string{"CLAUDE_CODE_USE_BEDROCK=1", "AWS_REGION=us-west-2"},
			provider: claudesettings.ProviderBedrock, region: "us-west-2", base: "https://bedrock-runtime.us-west-2.amazonaws.com", endpoint: "https://bedrock-runtime.us-west-2.amazonaws.com"},
		{name: "Bedrock: AWS_PROFILE names no profile", environ: []string{"CLAUDE_CODE_USE_BEDROCK=1", "AWS_REGION=us-west-2", "AWS_PROFILE=gone"},
			files:    map[string]string{".aws/credentials": awsKeys},
			provider: claudesettings.ProviderBedrock, region: "us-west-2", base: "https://bedrock-runtime.us-west-2.amazonaws.com", endpoint: "https://bedrock-runtime.us-west-2.amazonaws.com",
			problem: "AWS_PROFILE=gone (shell) names no profile in "},
		{name: "Bedrock: a config file that does not parse", environ: []string{"CLAUDE_CODE_USE_BEDROCK=1", "AWS_REGION=us-west-2"},
			files:    map[string]string{".aws/config": "[default\nregion us-west-2\n"},
			provider: claudesettings.ProviderBedrock, region: "us-west-2", base: "https://bedrock-runtime.us-west-2.amazonaws.com", endpoint: "https://bedrock-runtime.us-west-2.amazonaws.com",
			problem: "config line 1 opens a [section] that does not close"},
		{name: "Bedrock: awsCredentialExport in the settings", environ: []string{"CLAUDE_CODE_USE_BEDROCK=1", "AWS_REGION=us-west-2"}, settings: `{"awsCredentialExport": "/usr/bin/export-creds"}`,
			provider: claudesettings.ProviderBedrock, region: "us-west-2", base: "https://bedrock-runtime.us-west-2.amazonaws.com", endpoint: "https://bedrock-runtime.us-west-2.amazonaws.com",
			creds: "the awsCredentialExport command"},
		{name: "Bedrock wins over Vertex", environ: []string{"CLAUDE_CODE_USE_VERTEX=1", "CLAUDE_CODE_USE_BEDROCK=1", "AWS_REGION=us-west-2"},
			provider: claudesettings.ProviderBedrock, region: "us-west-2", base: "https://bedrock-runtime.us-west-2.amazonaws.com", endpoint: "https://bedrock-runtime.us-west-2.amazonaws.com"},
		{name: "Vertex with no region", environ: []string{"CLAUDE_CODE_USE_VERTEX=1", "ANTHROPIC_VERTEX_PROJECT_ID=p"},
			files:    map[string]string{".config/gcloud/application_default_credentials.json": `{"type": "authorized_user"}`},
			provider: claudesettings.ProviderVertex, region: "us-east5", regionAt: claudesettings.SourceDefault, base: "https://us-east5-aiplatform.googleapis.com",
			endpoint: "https://us-east5-aiplatform.googleapis.com", creds: "gcloud's application default credentials"},
		{name: "Vertex global", environ: []string{"CLAUDE_CODE_USE_VERTEX=1", "CLOUD_ML_REGION=global", "GOOGLE_APPLICATION_CREDENTIALS=~/sa.json"},
			files:    map[string]string{"sa.json": `{"type": "service_account"}`},
			provider: claudesettings.ProviderVertex, region: "global", regionAt: claudesettings.SourceShell, base: "https://aiplatform.googleapis.com",
			endpoint: "https://aiplatform.googleapis.com", creds: "GOOGLE_APPLICATION_CREDENTIALS"},
		{name: "Vertex eu, its key file gone", environ: []string{"CLAUDE_CODE_USE_VERTEX=1", "CLOUD_ML_REGION=eu", "GOOGLE_APPLICATION_CREDENTIALS=/nowhere/sa.json"},
			provider: claudesettings.ProviderVertex, region: "eu", base: "https://aiplatform.eu.rep.googleapis.com", endpoint: "https://aiplatform.eu.rep.googleapis.com",
			problem: "GOOGLE_APPLICATION_CREDENTIALS names /nowhere/sa.json, which is not a file"},
		{name: "Vertex through a gateway", environ: []string{"CLAUDE_CODE_USE_VERTEX=1", "CLOUD_ML_REGION=us-east5", "ANTHROPIC_VERTEX_BASE_URL=https://gw.corp/vertex_ai/v1", "CLAUDE_CODE_SKIP_VERTEX_AUTH=1"},
			provider: claudesettings.ProviderVertex, region: "us-east5", base: "https://gw.corp", endpoint: "https://gw.corp/vertex_ai/v1", skipAuth: true},
		{name: "Foundry by resource", environ: []string{"CLAUDE_CODE_USE_FOUNDRY=1", "ANTHROPIC_FOUNDRY_RESOURCE=myres", "ANTHROPIC_FOUNDRY_API_KEY=k"},
			provider: claudesettings.ProviderFoundry, base: "https://myres.services.ai.azure.com", endpoint: "https://myres.services.ai.azure.com/anthropic/", creds: "ANTHROPIC_FOUNDRY_API_KEY"},
		{name: "Foundry by base URL, signed in with az", environ: []string{"CLAUDE_CODE_USE_FOUNDRY=1", "ANTHROPIC_FOUNDRY_BASE_URL=https://x.services.ai.azure.com/anthropic"},
			files:    map[string]string{".azure/msal_token_cache.json": "{}"},
			provider: claudesettings.ProviderFoundry, base: "https://x.services.ai.azure.com", endpoint: "https://x.services.ai.azure.com/anthropic", creds: "the Azure CLI's sign-in"},
		{name: "Foundry with no endpoint", environ: []string{"CLAUDE_CODE_USE_FOUNDRY=1"}, provider: claudesettings.ProviderFoundry},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := testHome(t)
			home := filepath.Dir(dir)
			for name, content := range tc.files {
				writeFile(t, filepath.Join(home, name), content)
			}
			settings := tc.settings
			if settings == "" {
				settings = `{}`
			}
			writeFile(t, filepath.Join(dir, "settings.json"), settings)
			environ := append([]string{"HOME=" + home, "ANTHROPIC_API_KEY=" + orderAPIKey}, tc.environ...)
			tgt, err := Resolve(context.Background(), ResolveOptions{Environ: environ})
			if err != nil {
				t.Fatal(err)
			}
			p := tgt.Provider
			if p.Name != tc.provider || p.Region.Value != tc.region || tc.regionAt != "" && p.Region.Source != tc.regionAt ||
				tgt.BaseURL.Value != tc.base || p.Endpoint.Value != tc.endpoint || p.SkipAuth != tc.skipAuth {
				t.Errorf("provider %+v, base URL %+v", p, tgt.BaseURL)
			}
			if got := p.Credentials.Value; tc.creds == "" && got != "" || !strings.Contains(got, tc.creds) {
				t.Errorf("credentials %q, want %q", got, tc.creds)
			}
			if tc.problem != "" && !strings.Contains(p.CredentialsProblem, tc.problem) || tc.problem == "" && p.CredentialsProblem != "" {
				t.Errorf("problem %q, want %q", p.CredentialsProblem, tc.problem)
			}
			if tc.provider != "" && (tgt.Credential.Set() || len(tgt.Shadowed) != 1 || tgt.Shadowed[0].Var != claudesettings.VarAPIKey) {
				t.Errorf("with a provider the Anthropic key is shadowed, not used: %+v / %+v", tgt.Credential, tgt.Shadowed)
			}
			for _, secret := range []string{"wJalrXUtnFEMI", "AKIDEXAMPLE", "fetch-creds"} {
				if strings.Contains(p.Credentials.Value+p.CredentialsProblem, secret) {
					t.Errorf("a value from the AWS files is shown: %q", p.Credentials.Value)
				}
			}
		})
	}
}

func TestTruthy(t *testing.T) {
	for v, want := range map[string]bool{"1": true, "true": true, " TRUE ": true, "yes": true, "on": true, "0": false, "": false, "false": false, "2": false, "enabled": false} {
		if truthy(v) != want {
			t.Errorf("truthy(%q) = %v", v, !want)
		}
	}
}

func TestReadINI(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, content, problem string }{
		{"good", "[default]\nregion = us-east-1\ns3 =\n  max_concurrent_requests = 10\n; comment\n# comment\n[profile x]\nrole_arn=arn:aws:iam::1:role/r\nsource_profile=default\n", ""},
		{"no equals sign", "[default]\nregion us-east-1\n", "line 2 is neither a [section] nor a key = value"},
		{"key before any section", "region = us-east-1\n[default]\n", "line 1 sets region outside any [profile]"},
		{"indented at the top", "  region = x\n", "line 1 is indented but belongs to no key"},
		{"binary", "\x00\x01\x02[\xff\n", "line 1 is neither"},
	} {
		p := filepath.Join(dir, tc.name)
		os.WriteFile(p, []byte(tc.content), 0o600)
		f := readINI(p)
		if !f.exists || tc.problem == "" && f.problem != "" || !strings.Contains(f.problem, tc.problem) {
			t.Errorf("%s: problem %q, want %q", tc.name, f.problem, tc.problem)
		}
	}
	good := readINI(filepath.Join(dir, "good"))
	if good.sections["profile x"]["source_profile"] != "default" || good.sections["default"]["region"] != "us-east-1" {
		t.Errorf("sections %v", good.sections)
	}
	if v, ok := good.sections["profile x"]["role_arn"]; !ok || v != "" {
		t.Errorf("a value that may be secret is kept: %q", v)
	}
	if f := readINI(filepath.Join(dir, "missing")); f.exists || f.problem != "" {
		t.Errorf("a missing file: %+v", f)
	}
}

func FuzzReadINI(f *testing.F) {
	f.Add("[default]\naws_access_key_id = A\n[profile x]\n  nested = 1\n")
	f.Add("[\n]]\n=\n")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, content string) {
		p := filepath.Join(dir, "ini")
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Skip()
		}
		readINI(p)
	})
}
