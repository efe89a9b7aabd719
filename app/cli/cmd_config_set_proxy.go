package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/doctor"
	"claudemedic/internal/exitcode"
	"claudemedic/netcheck"
)

// setProxyOptions are set-proxy's flags.
type setProxyOptions struct {
	noProxy   string
	fromStdin bool
	timeout   time.Duration
	json      bool
	layerFlags
}

func runSetProxy(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("config.set_proxy_synopsis", `config set-proxy (URL | none | --stdin) [--no-proxy LIST] [--layer ...] [--timeout DURATION] [--json]

Tests the proxy first (the API must be reachable through it) and only then
sets https_proxy in a settings file's env, the proxy variable Claude Code
reads first (so a lower-case https_proxy in your shell does not win over it);
"none" removes every proxy variable from that file. Claude Code
supports http:// and https:// proxies only (user:password@ in the URL is
fine; give such a URL with --stdin so the password does not show in ps).
Note that Claude Code sends even a 127.0.0.1 base URL through the proxy
unless NO_PROXY names it.`))
	var o setProxyOptions
	fs.StringVar(&o.noProxy, "no-proxy", "", tr.X("config.flag_no_proxy", "also set NO_PROXY, e.g. localhost,127.0.0.1,.corp.example (\"none\" removes it)"))
	fs.BoolVar(&o.fromStdin, "stdin", false, tr.X("config.flag_proxy_stdin", "read the proxy URL from standard input"))
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, tr.X("config.flag_proxy_timeout", "bound for each check of the proxy test"))
	fs.BoolVar(&o.json, "json", false, tr.X("config.flag_proxy_json", "print the test's findings and the change as JSON"))
	o.layerFlags.add(fs, tr)
	if err := parse(fs, args); err != nil {
		return err
	}
	var proxy string
	switch {
	case o.fromStdin && fs.NArg() == 0:
		b, err := readAllLimited(e.Stdin, 8<<10)
		if err != nil {
			return usageErr(tr.X("config.proxy_stdin_failed", "reading the URL from standard input: {{.Err}}", "Err", err))
		}
		proxy = strings.TrimSpace(string(b))
	case !o.fromStdin && fs.NArg() == 1:
		proxy = fs.Arg(0)
	default:
		return usageErr(tr.X("config.proxy_args", "give one proxy URL, \"none\", or --stdin (see --help)"))
	}
	file, err := o.file(tr)
	if err != nil {
		return usageErr(err.Error())
	}
	var np *string
	if o.noProxy != "" {
		v := o.noProxy
		if v == "none" {
			v = ""
		}
		np = &v
	}
	if proxy == "none" {
		proxy = ""
	}
	if err := claudesettings.CheckProxyURL(proxy); proxy != "" && err != nil {
		return errors.New(rangeText(err))
	}
	target, err := doctor.Resolve(ctx, doctor.Terminal(projectDir(o.project), false), doctor.Overrides{})
	if err != nil {
		return err
	}
	opts := netcheck.Options{Timeout: o.timeout}
	if proxy != "" && !o.json {
		fmt.Fprintln(e.Stderr, tr.X("config.testing_proxy", "Testing {{.URL}} through the proxy…", "URL", target.BaseURL.Value))
	}
	dc, r, err := doctor.SetProxy(ctx, file, target, proxy, np, e.options(opts))
	var findings []netcheck.Finding
	if r != nil {
		findings = r.Findings
	}
	lang := tr.Lang()
	var pte *doctor.ProxyTestError
	switch {
	case errors.As(err, &pte) && o.json:
		e.writeJSON(map[string]any{"saved": nil, "findings": findings})
		return exitWith(exitcode.Failed)
	case errors.As(err, &pte):
		fmt.Fprintln(e.Stderr, tr.X("config.proxy_failed", "The proxy does not work, so it was not saved:"))
		for _, f := range pte.Findings {
			fmt.Fprintf(e.Stderr, "  %s: %s\n    %s %s\n", f.Code, f.Summary.In(lang), tr.X("report.fix", "Fix:"), f.Fix.In(lang))
		}
		return exitWith(exitcode.Failed)
	case err != nil:
		return err
	}
	c := dc.Saved
	if o.json {
		return e.writeJSON(map[string]any{"saved": c, "findings": findings})
	}
	if proxy != "" {
		fmt.Fprintln(e.Stdout, tr.X("config.proxy_works", "The API answers through the proxy."))
	}
	for _, f := range findings {
		if f.Severity == netcheck.SeverityWarn {
			fmt.Fprintf(e.Stdout, "%s %s: %s\n  %s %s\n", tr.X("cli.warning_title", "Warning:"), f.Code, f.Summary.In(lang), tr.X("report.fix", "Fix:"), f.Fix.In(lang))
		}
	}
	e.printChange(c)
	e.printShadows(ctx, o.layerFlags, c)
	return nil
}
