package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"claudemedic/doctor"
	"claudemedic/internal/exitcode"
	"claudemedic/internal/i18n"
	"claudemedic/netcheck"
)

var checkCommand = &command{
	name: "check",
	summary: func(tr i18n.Printer) string {
		return tr.X("check.summary", "find out why requests to the Claude API fail")
	},
	run: runCheck,
}

// checkOptions are check's flags.
type checkOptions struct {
	json                     bool
	baseURL, proxy, caFile   string
	keyStdin, stream, status bool
	full                     bool
	timeout                  time.Duration
	lang                     string
}

func (o *checkOptions) flags(fs *flag.FlagSet, tr i18n.Printer) {
	fs.BoolVar(&o.json, "json", false, tr.X("check.flag_json", "print one JSON object (schema 1) instead of the table"))
	fs.StringVar(&o.baseURL, "base-url", "", tr.X("check.flag_base_url", "check this base URL instead of ANTHROPIC_BASE_URL"))
	fs.StringVar(&o.proxy, "proxy", "", tr.X("check.flag_proxy", "use this HTTP(S) proxy, or `none` for no proxy, instead of HTTPS_PROXY"))
	fs.StringVar(&o.caFile, "ca-file", "", tr.X("check.flag_ca_file", "trust this extra PEM CA file instead of NODE_EXTRA_CA_CERTS"))
	fs.BoolVar(&o.keyStdin, "key-stdin", false, tr.X("check.flag_key_stdin", "read the credential from standard input (never pass a key as an argument)"))
	fs.BoolVar(&o.stream, "stream", false, tr.X("check.flag_stream", "also test a streamed message (spends a few tokens)"))
	fs.BoolVar(&o.full, "full", false, tr.X("check.flag_full", "send Claude Code's whole request, tools included (thousands of input tokens), instead of the compact one"))
	fs.BoolVar(&o.status, "status", false, tr.X("check.flag_status", "also read the public status page for an ongoing incident"))
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, tr.X("check.flag_timeout", "bound for each check; the whole run ends within about this"))
	fs.StringVar(&o.lang, "lang", "", tr.X("check.flag_lang", "language of the output: en or zh (default: from the locale)"))
}

func runCheck(ctx context.Context, e *env, args []string) error {
	var o checkOptions
	fs := e.flags(e.tr.X("check.synopsis", `check [--json] [--base-url URL] [--proxy URL|none] [--ca-file PEM]
                   [--key-stdin] [--stream] [--status] [--timeout DURATION]

Runs the checks against what Claude Code would use on this machine (its settings
files and this shell's environment) and says what is wrong and how to fix it.
Exit status: 0 ok, 1 degraded, 2 down, 64 usage error.`))
	o.flags(fs, e.tr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr(e.tr.X("check.key_argument", "unexpected argument {{.Arg}} (a key is read with --key-stdin, never from the command line)", "Arg", fmt.Sprintf("%q", fs.Arg(0))))
	}
	if o.timeout <= 0 {
		return usageErr(e.tr.X("check.timeout_positive", "--timeout must be positive, e.g. --timeout 10s"))
	}
	over := doctor.Overrides{BaseURL: o.baseURL, Proxy: o.proxy, CAFile: o.caFile}
	if o.keyStdin {
		secret, err := readKey(e.Stdin, e.tr)
		if err != nil {
			return usageErr("--key-stdin: " + err.Error())
		}
		over.Key = secret
	}
	src := doctor.Terminal(projectDir(""), false)
	src.HelperTimeout = o.timeout // apiKeyHelper is part of the key check
	d := e.doctor(src, over)
	d.Record, d.Timeout = nil, o.timeout // a check from a script is not the tray's history
	if o.full {
		req := doctor.ReadRequest(ctx, nil)
		shape := netcheck.BuiltinShape()
		if req.Request != nil {
			shape = *req.Request
		}
		fullCost(e.Stderr, shape, e.tr)
	}
	r, err := d.Run(ctx, netcheck.Options{Stream: o.stream, Status: o.status, Full: o.full}, doctor.Progress{})
	if err != nil && r == nil {
		return err
	}
	if o.json {
		if err := e.writeJSON(checkJSON(ctx, r)); err != nil {
			return err
		}
	} else {
		doctor.WriteText(e.Stdout, r, e.tr, useColor(e.Stdout))
		writeRecentErrors(ctx, e.Stdout, e.tr)
	}
	return exitWith(exitcode.Of(r.Verdict))
}

// readKey reads a credential from r: one line, its line break dropped. Other
// problems with its shape (quotes, spaces) are left for the key check to report.
func readKey(r io.Reader, tr i18n.Printer) (string, error) {
	if r == nil {
		return "", errors.New(tr.X("check.stdin_empty", "standard input was empty: pipe the key in, e.g. 'claudemedic key print | claudemedic check --key-stdin'"))
	}
	b, err := io.ReadAll(io.LimitReader(r, 64<<10))
	if err != nil {
		return "", fmt.Errorf("%s: %w", tr.X("cli.reading_stdin", "reading standard input"), err)
	}
	s := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if strings.TrimSpace(s) == "" {
		return "", errors.New(tr.X("check.stdin_empty", "standard input was empty: pipe the key in, e.g. 'claudemedic key print | claudemedic check --key-stdin'"))
	}
	return s, nil
}
