package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"claudemedic/app/prefs"
	"claudemedic/claudecfg"
	"claudemedic/claudeinstall"
	"claudemedic/netcheck"
)

func init() {
	register(command{name: "check", summary: "find out why requests to the Claude API fail", run: runCheck})
}

const checkSynopsis = `check [--json] [--base-url URL] [--proxy URL|none] [--ca-file PEM]
                   [--key-stdin] [--stream] [--status] [--timeout DURATION]

Runs the checks against what Claude Code would use on this machine (its settings
files and this shell's environment) and says what is wrong and how to fix it.
Exit status: 0 ok, 1 degraded, 2 down, 64 usage error.`

// testOptions, when set by a test, adjusts the run's options with what no flag
// gives: the fake API's DNS resolver, status page and short stream limits.
var testOptions func(*netcheck.Options)

func runCheck(ctx context.Context, args []string, io IO) int {
	fs := newFlagSet("check", checkSynopsis, io)
	asJSON := fs.Bool("json", false, "print one JSON object (schema 1) instead of the table")
	baseURL := fs.String("base-url", "", "check this base URL instead of ANTHROPIC_BASE_URL")
	proxy := fs.String("proxy", "", "use this HTTP(S) proxy, or `none` for no proxy, instead of HTTPS_PROXY")
	caFile := fs.String("ca-file", "", "trust this extra PEM CA file instead of NODE_EXTRA_CA_CERTS")
	keyStdin := fs.Bool("key-stdin", false, "read the credential from standard input (never pass a key as an argument)")
	stream := fs.Bool("stream", false, "also test a streamed message (spends a few tokens)")
	status := fs.Bool("status", false, "also read the public status page for an ongoing incident")
	timeout := fs.Duration("timeout", 10*time.Second, "bound for each check; the whole run ends within about this")
	lang := fs.String("lang", "", "language of the table: en or zh (default: from the locale)")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(io.Stderr, "claudemedic check: unexpected argument %q (a key is read with --key-stdin, never from the command line)\n", fs.Arg(0))
		return ExitUsage
	}
	if *timeout <= 0 {
		fmt.Fprintln(io.Stderr, "claudemedic check: --timeout must be positive, e.g. --timeout 10s")
		return ExitUsage
	}

	ropts := resolveOptions("", false)
	ropts.HelperTimeout = *timeout // apiKeyHelper is part of the key check
	if *keyStdin {                 // the key given is the one tested: no apiKeyHelper, no keychain, no saved login
		secret, err := readKey(io.Stdin)
		if err != nil {
			fmt.Fprintf(io.Stderr, "claudemedic check: --key-stdin: %v\n", err)
			return ExitUsage
		}
		ropts.Credential = &netcheck.Credential{Secret: secret, Source: netcheck.SourceStdin, Var: "stdin"}
	}
	target, err := claudecfg.Resolve(ctx, ropts)
	if err != nil {
		fmt.Fprintf(io.Stderr, "claudemedic check: %v\n", err)
		return ExitDegraded
	}
	flagged := func(v string) netcheck.Setting { return netcheck.Setting{Value: v, Source: netcheck.SourceFlag} }
	if *baseURL != "" {
		target.BaseURL = flagged(*baseURL)
	}
	switch *proxy {
	case "":
	case "none":
		target.Proxy = netcheck.Setting{}
	default:
		target.Proxy = flagged(*proxy)
	}
	if *caFile != "" {
		target.CAFile = flagged(*caFile)
	}
	opts := netcheck.Options{Timeout: *timeout, Stream: *stream, Status: *status}
	if testOptions != nil {
		testOptions(&opts)
	}
	addVersion := claudeinstall.Beside(ctx, claudeCodeOptions(target, false)) // Claude Code's own version, beside the checks
	report := netcheck.Run(ctx, target, opts)
	addVersion(report)
	if *asJSON {
		enc := json.NewEncoder(io.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(report); err != nil {
			fmt.Fprintf(io.Stderr, "claudemedic check: writing the report: %v\n", err)
			return ExitDegraded
		}
	} else {
		l := *lang
		if l == "" {
			l = localeLanguage()
		}
		writeTable(io.Stdout, report, l, useColor(io.Stdout))
	}
	return verdictExit(report.Verdict)
}

// readKey reads a credential from r: one line, its line break dropped. Other
// problems with its shape (quotes, spaces) are left for the key check to report.
func readKey(r io.Reader) (string, error) {
	b, err := io.ReadAll(io.LimitReader(r, 64<<10))
	if err != nil {
		return "", fmt.Errorf("reading standard input: %w", err)
	}
	s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if strings.TrimSpace(s) == "" {
		return "", fmt.Errorf("standard input was empty: pipe the key in, e.g. 'claudemedic key print | claudemedic check --key-stdin'")
	}
	return s, nil
}

// verdictExit maps a verdict to the contract's exit status.
func verdictExit(v netcheck.Verdict) int {
	switch v {
	case netcheck.VerdictOK:
		return ExitOK
	case netcheck.VerdictDegraded:
		return ExitDegraded
	}
	return ExitDown
}

// localeLanguage is the language of what the command line prints: the
// preferences' language when set, else the locale (prefs.ChooseLanguage).
func localeLanguage() string {
	p, _ := prefs.Load() // broken preferences give the defaults: the locale decides
	l, _ := prefs.ChooseLanguage(p.Language)
	return l
}

// useColor reports whether w is a terminal that wants colour (NO_COLOR unset).
func useColor(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
