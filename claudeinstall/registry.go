package claudeinstall

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

// DefaultRegistry is npm's public registry.
const DefaultRegistry = "https://registry.npmjs.org/"

// RegistryTimeout bounds the one request for the latest version.
const RegistryTimeout = 5 * time.Second

// Registry returns the registry npm would fetch Claude Code from, and where
// that came from: the package scope's registry or registry= in ~/.npmrc
// (npm_config_registry in the environment wins over the file's registry=),
// else the public registry. ${VAR} in the file is expanded as npm does.
func Registry(env Env) (string, string) {
	var scoped, plain string
	if env.Home != "" {
		if b, err := os.ReadFile(filepath.Join(env.Home, ".npmrc")); err == nil {
			for _, line := range strings.Split(string(b), "\n") {
				line = strings.TrimSpace(line)
				if line == "" || line[0] == '#' || line[0] == ';' {
					continue
				}
				k, v, ok := strings.Cut(line, "=")
				if !ok {
					continue
				}
				v = strings.Trim(strings.TrimSpace(os.Expand(strings.TrimSpace(v), env.get)), `"'`)
				switch strings.TrimSpace(k) {
				case "@anthropic-ai:registry":
					scoped = v
				case "registry":
					plain = v
				}
			}
		}
	}
	switch {
	case env.get("npm_config_@anthropic-ai:registry") != "":
		return slash(env.get("npm_config_@anthropic-ai:registry")), "npm_config_@anthropic-ai:registry"
	case scoped != "":
		return slash(scoped), "~/.npmrc @anthropic-ai:registry"
	case env.get("npm_config_registry") != "":
		return slash(env.get("npm_config_registry")), "npm_config_registry"
	case plain != "":
		return slash(plain), "~/.npmrc registry"
	}
	return DefaultRegistry, "npm's default"
}

func slash(u string) string {
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

// ErrRegistry is why the latest version could not be read (wrapped).
var ErrRegistry = errors.New("the latest version could not be read from the registry")

// fetchLatest asks registry for Claude Code's dist-tags and returns latest:
// GET /-/package/@anthropic-ai%2Fclaude-code/dist-tags, a few bytes; a
// registry that does not serve that (404, 405) gets the package document's
// abbreviated form instead. client goes the checks' way (netcheck.HTTPClient).
func fetchLatest(ctx context.Context, client *http.Client, registry string) (string, error) {
	name := strings.ReplaceAll(Package, "/", "%2F")
	var tags map[string]string
	status, err := getJSON(ctx, client, registry+"-/package/"+name+"/dist-tags", "application/json", &tags)
	if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
		var doc struct {
			DistTags map[string]string `json:"dist-tags"`
		}
		_, err = getJSON(ctx, client, registry+name, "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8", &doc)
		tags = doc.DistTags
	}
	if err != nil {
		return "", fmt.Errorf("%w %s: %v", ErrRegistry, registry, err)
	}
	latest, ok := parseVersion(tags["latest"])
	if !ok {
		return "", fmt.Errorf("%w %s: its dist-tags have no version as latest (%q)", ErrRegistry, registry, tags["latest"])
	}
	return latest, nil
}

// getJSON fetches u into v and returns the HTTP status; an answer that is not
// JSON (a proxy's or portal's HTML page) is an error that says so.
func getJSON(ctx context.Context, client *http.Client, u, accept string, v any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", "claudemedic (npm registry look-up)")
	resp, err := client.Do(req)
	if err != nil {
		var ue interface{ Timeout() bool }
		if errors.As(err, &ue) && ue.Timeout() || errors.Is(err, context.DeadlineExceeded) {
			return 0, fmt.Errorf("it did not answer in time")
		}
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, fmt.Errorf("it answered %s", resp.Status)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return resp.StatusCode, fmt.Errorf("reading its answer: %v", err)
	}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err := json.Unmarshal(body, v); err != nil {
		if mt == "text/html" || strings.HasPrefix(strings.TrimSpace(string(body)), "<") {
			return resp.StatusCode, fmt.Errorf("it answered with a web page (%s), not the package's metadata: is the registry address a portal or a proxy's login page?", orUnknown(mt))
		}
		return resp.StatusCode, fmt.Errorf("its answer is not JSON (%s)", orUnknown(mt))
	}
	return resp.StatusCode, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "no content type"
	}
	return s
}

// latestVersion reads the latest published version through target's proxy and trust.
func latestVersion(ctx context.Context, target claudesettings.Target, registry string, timeout time.Duration) (string, error) {
	client, err := netcheck.HTTPClient(target, registry, timeout)
	if err != nil {
		return "", fmt.Errorf("%w: the registry address %q is not usable: %v", ErrRegistry, registry, err)
	}
	defer client.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return fetchLatest(ctx, client, registry)
}
