package claudecfg

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"claudemedic/claudesettings"
)

// Where Claude Code (through the AWS, Google and Azure SDKs) finds a cloud
// provider's credentials. Claude Medic only looks whether they are there: it
// reads the files to see which keys a profile has, keeps no value but the
// region and the kind of sign-in, and never runs a credential command.

// Settings keys that give cloud credentials by running a command.
const (
	KeyAWSCredentialExport = "awsCredentialExport" // prints AWS credentials as JSON
	KeyAWSAuthRefresh      = "awsAuthRefresh"      // signs in (e.g. aws sso login) when the credentials fail
	KeyGCPAuthRefresh      = "gcpAuthRefresh"      // signs in to Google Cloud when the credentials fail
)

// cloudKeys are the top-level settings keys applyLayer keeps for the providers.
var cloudKeys = []string{KeyAWSCredentialExport, KeyAWSAuthRefresh, KeyGCPAuthRefresh}

// iniFile is an AWS shared config or credentials file as read: for each
// section (profile), its keys, with the values of the keys that are no secret.
type iniFile struct {
	path     string
	exists   bool
	sections map[string]map[string]string
	problem  string // the first line that does not parse, or why the file cannot be read
}

// plainAWSKeys are the keys whose values Claude Medic keeps; any other
// key's value is dropped as it is read.
var plainAWSKeys = map[string]bool{"region": true, "sso_session": true, "sso_start_url": true, "source_profile": true, "credential_source": true}

// readINI reads an AWS-style INI file: [section] lines, key = value lines,
// indented lines continuing the key above, # and ; comments. A line that is
// none of these is the file's problem (the AWS SDK skips it).
func readINI(path string) iniFile {
	f := iniFile{path: path, sections: map[string]map[string]string{}}
	data, err := readBounded(path, 4<<20)
	switch {
	case os.IsNotExist(unwrapPathErr(err)) || os.IsNotExist(err):
		return f
	case err != nil:
		f.exists, f.problem = true, fmt.Sprintf("%s cannot be read: %v", path, unwrapPathErr(err))
		return f
	}
	f.exists = true
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var cur map[string]string
	for n := 1; sc.Scan(); n++ {
		raw := sc.Text()
		line := strings.TrimSpace(raw)
		bad := func(why string) {
			if f.problem == "" {
				f.problem = fmt.Sprintf("%s line %d %s", path, n, why)
			}
		}
		switch {
		case line == "" || line[0] == '#' || line[0] == ';':
		case line[0] == '[':
			end := strings.IndexByte(line, ']')
			if end < 0 {
				bad("opens a [section] that does not close")
				cur = nil
				continue
			}
			name := strings.Join(strings.Fields(line[1:end]), " ")
			if cur = f.sections[name]; cur == nil {
				cur = map[string]string{}
				f.sections[name] = cur
			}
		case raw[0] == ' ' || raw[0] == '\t':
			if cur == nil {
				bad("is indented but belongs to no key")
			}
		default:
			k, v, ok := strings.Cut(line, "=")
			k = strings.ToLower(strings.TrimSpace(k))
			switch {
			case !ok || k == "":
				bad("is neither a [section] nor a key = value")
			case cur == nil:
				bad("sets " + k + " outside any [profile]")
			case plainAWSKeys[k]:
				cur[k] = strings.TrimSpace(v)
			default:
				cur[k] = "" // a secret, perhaps: only that it is there
			}
		}
	}
	if err := sc.Err(); err != nil && f.problem == "" {
		f.problem = fmt.Sprintf("%s cannot be read: %v", path, err)
	}
	return f
}

// awsSetup is the AWS profile Claude Code would use and its two files.
type awsSetup struct {
	profile    string
	profileSrc claudesettings.Source // where AWS_PROFILE is set, SourceDefault for "default"
	config     iniFile
	creds      iniFile
}

// awsFiles reads the AWS config and credentials files ($AWS_CONFIG_FILE,
// $AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/config and ~/.aws/credentials).
func (s *Settings) awsFiles() awsSetup {
	home, _ := os.UserHomeDir()
	path := func(v, def string) string {
		if p := strings.TrimSpace(s.Vars[v].Value); p != "" {
			return expandHome(p)
		}
		return filepath.Join(home, ".aws", def)
	}
	a := awsSetup{profile: "default", profileSrc: claudesettings.SourceDefault,
		config: readINI(path("AWS_CONFIG_FILE", "config")), creds: readINI(path("AWS_SHARED_CREDENTIALS_FILE", "credentials"))}
	if v := s.Vars[claudesettings.VarAWSProfile]; strings.TrimSpace(v.Value) != "" {
		a.profile, a.profileSrc = strings.TrimSpace(v.Value), v.Source
	}
	return a
}

// configSection is the profile's section of the config file.
func (a awsSetup) configSection() map[string]string {
	if a.profile == "default" {
		if s := a.config.sections["default"]; s != nil {
			return s
		}
	}
	return a.config.sections["profile "+a.profile]
}

// region is the profile's region in the config file, if any.
func (a awsSetup) region() claudesettings.Setting {
	if r := a.configSection()["region"]; r != "" {
		return claudesettings.Setting{Value: r, Source: claudesettings.Source(a.config.path)}
	}
	return claudesettings.Setting{}
}

// awsCredentials says where Claude Code's AWS SDK would find credentials,
// in its order, or why none were found.
func (s *Settings) awsCredentials(a awsSetup) (claudesettings.Setting, string) {
	v := func(name string) Value { return s.Vars[name] }
	found := func(what string, src claudesettings.Source) (claudesettings.Setting, string) {
		return claudesettings.Setting{Value: what, Source: src}, ""
	}
	if t := v(claudesettings.VarAWSBearerToken); t.Set() {
		return found(claudesettings.VarAWSBearerToken+" (a Bedrock API key)", t.Source)
	}
	if id := v("AWS_ACCESS_KEY_ID"); id.Set() && v("AWS_SECRET_ACCESS_KEY").Set() {
		return found("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", id.Source)
	}
	if h := s.CloudHelpers[KeyAWSCredentialExport]; h.Set() {
		return found("the awsCredentialExport command ("+h.File+")", h.Source)
	}
	prof := "AWS_PROFILE=" + a.profile
	if a.profileSrc == claudesettings.SourceDefault {
		prof = "the default profile"
	}
	for _, sec := range []struct {
		keys map[string]string
		file iniFile
	}{{a.creds.sections[a.profile], a.creds}, {a.configSection(), a.config}} {
		k := sec.keys
		has := func(name string) bool { _, ok := k[name]; return ok }
		kind := ""
		switch {
		case k == nil:
		case has("aws_access_key_id") && has("aws_secret_access_key"):
			kind = "access keys"
		case has("sso_session") || has("sso_start_url"):
			kind = "AWS SSO (IAM Identity Center; run aws sso login when it expires)"
		case has("credential_process"):
			kind = "credential_process"
		case has("role_arn") && (has("source_profile") || has("credential_source") || has("web_identity_token_file")):
			kind = "an assumed role"
		}
		if kind != "" {
			return found(fmt.Sprintf("%s: %s in %s", prof, kind, sec.file.path), a.profileSrc)
		}
	}
	if f := v("AWS_WEB_IDENTITY_TOKEN_FILE"); f.Set() && v("AWS_ROLE_ARN").Set() {
		return found("AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (web identity)", f.Source)
	}
	for _, name := range []string{"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI"} {
		if c := v(name); c.Set() {
			return found(name+" (the container's role)", c.Source)
		}
	}
	if h := s.CloudHelpers[KeyAWSAuthRefresh]; h.Set() {
		return found("the awsAuthRefresh command ("+h.File+"), which Claude Code runs to sign in", h.Source)
	}
	if onCloud("Amazon EC2") {
		return found("the EC2 instance's role (if it has one)", claudesettings.SourceDefault)
	}
	for _, f := range []iniFile{a.config, a.creds} {
		if f.problem != "" {
			return claudesettings.Setting{}, f.problem
		}
	}
	if a.profileSrc != claudesettings.SourceDefault && a.configSection() == nil && a.creds.sections[a.profile] == nil {
		return claudesettings.Setting{}, fmt.Sprintf("AWS_PROFILE=%s (%s) names no profile in %s or %s", a.profile, a.profileSrc, a.config.path, a.creds.path)
	}
	return claudesettings.Setting{}, ""
}

// googleCredentials says where Google's application default credentials are.
func (s *Settings) googleCredentials() (claudesettings.Setting, string) {
	if g := s.Vars[claudesettings.VarGoogleCredentials]; strings.TrimSpace(g.Value) != "" {
		p := expandHome(strings.TrimSpace(g.Value))
		if fi, err := os.Stat(p); err != nil || fi.IsDir() {
			return claudesettings.Setting{}, fmt.Sprintf("%s names %s, which is not a file", claudesettings.VarGoogleCredentials, p)
		}
		return claudesettings.Setting{Value: claudesettings.VarGoogleCredentials + " (" + p + ")", Source: g.Source}, ""
	}
	dir := strings.TrimSpace(s.Vars["CLOUDSDK_CONFIG"].Value)
	switch {
	case dir != "":
		dir = expandHome(dir)
	case runtime.GOOS == "windows":
		dir = filepath.Join(os.Getenv("APPDATA"), "gcloud")
	default:
		home, _ := os.UserHomeDir()
		dir = filepath.Join(home, ".config", "gcloud")
	}
	adc := filepath.Join(dir, "application_default_credentials.json")
	if fi, err := os.Stat(adc); err == nil && !fi.IsDir() {
		return claudesettings.Setting{Value: "gcloud's application default credentials (" + adc + ")", Source: claudesettings.SourceDefault}, ""
	}
	if h := s.CloudHelpers[KeyGCPAuthRefresh]; h.Set() {
		return claudesettings.Setting{Value: "the gcpAuthRefresh command (" + h.File + "), which Claude Code runs to sign in", Source: h.Source}, ""
	}
	if onCloud("Google") {
		return claudesettings.Setting{Value: "the Compute Engine service account (if it has one)", Source: claudesettings.SourceDefault}, ""
	}
	return claudesettings.Setting{}, ""
}

// azureCredentials says where Foundry's key or Azure's credentials are.
func (s *Settings) azureCredentials() (claudesettings.Setting, string) {
	v := func(name string) Value { return s.Vars[name] }
	if k := v(claudesettings.VarFoundryAPIKey); k.Set() {
		return claudesettings.Setting{Value: claudesettings.VarFoundryAPIKey, Source: k.Source}, ""
	}
	if id := v("AZURE_CLIENT_ID"); id.Set() && v("AZURE_TENANT_ID").Set() {
		for _, name := range []string{"AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PATH", "AZURE_FEDERATED_TOKEN_FILE"} {
			if v(name).Set() {
				return claudesettings.Setting{Value: "AZURE_CLIENT_ID, AZURE_TENANT_ID and " + name, Source: id.Source}, ""
			}
		}
	}
	home, _ := os.UserHomeDir()
	cli := strings.TrimSpace(v("AZURE_CONFIG_DIR").Value)
	if cli == "" {
		cli = filepath.Join(home, ".azure")
	}
	for _, f := range []string{"msal_token_cache.json", "msal_token_cache.bin", "accessTokens.json"} {
		if _, err := os.Stat(filepath.Join(expandHome(cli), f)); err == nil {
			return claudesettings.Setting{Value: "the Azure CLI's sign-in (" + expandHome(cli) + ")", Source: claudesettings.SourceDefault}, ""
		}
	}
	if _, err := os.Stat(filepath.Join(home, ".azd", "auth")); err == nil {
		return claudesettings.Setting{Value: "the Azure Developer CLI's sign-in", Source: claudesettings.SourceDefault}, ""
	}
	return claudesettings.Setting{}, ""
}

// dmiVendor is where the machine's maker is named on Linux; tests point it elsewhere.
var dmiVendor = []string{"/sys/class/dmi/id/sys_vendor", "/sys/class/dmi/id/product_name"}

// onCloud reports whether this machine is a cloud provider's virtual
// machine (whose instance role or service account gives credentials).
func onCloud(vendor string) bool {
	for _, p := range dmiVendor {
		if b, err := os.ReadFile(p); err == nil && strings.Contains(string(b), vendor) {
			return true
		}
	}
	return false
}
