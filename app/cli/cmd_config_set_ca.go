package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"claudemedic/doctor"
)

// setCAOptions are `config set-ca`'s flags.
type setCAOptions struct {
	asJSON bool
	layerFlags
}

func runSetCA(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("config.set_ca_synopsis", `config set-ca (FILE | none) [--layer ...] [--json]

Checks that FILE is PEM and holds a CA certificate (your company's root, for a
proxy that inspects TLS), then sets NODE_EXTRA_CA_CERTS to its absolute path in
a settings file's env; "none" removes it. Some Claude Code versions ignore
NODE_EXTRA_CA_CERTS in settings, so it also prints the line for your shell profile.`))
	var o setCAOptions
	fs.BoolVar(&o.asJSON, "json", false, tr.X("config.flag_change_json", "print the change as JSON"))
	o.layerFlags.add(fs, tr)
	lf := o.layerFlags
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErr(tr.X("config.ca_args", "give one PEM file, or none (see --help)"))
	}
	file, err := lf.file(tr)
	if err != nil {
		return usageErr(err.Error())
	}
	if fs.Arg(0) == "none" {
		c, _, err := doctor.SetCA(file, "")
		if err != nil {
			return err
		}
		return e.showSaved(ctx, lf, c, o.asJSON)
	}
	dc, ca, err := doctor.SetCA(file, fs.Arg(0))
	if err != nil {
		return err
	}
	c := dc.Saved
	ca.ForShell(os.Getenv("SHELL"))
	profile, line := ca.ProfileFile, ca.ProfileLine
	if o.asJSON {
		return e.writeJSON(map[string]any{"saved": c, "cas": ca.CAs, "profile_file": profile, "profile_line": line})
	}
	fmt.Fprintln(e.Stdout, tr.X("config.ca_holds", "{{.File}} holds {{.N}} CA certificate(s): {{.CAs}}", "File", ca.Path, "N", len(ca.CAs), "CAs", strings.Join(ca.CAs, "; ")))
	e.printChange(c)
	e.printShadows(ctx, lf, c)
	fmt.Fprintf(e.Stdout, "\n%s\n\n  %s\n\n", tr.X("config.ca_profile", "Some Claude Code versions ignore NODE_EXTRA_CA_CERTS in settings. Add this line to {{.File}} too:", "File", profile), line)
	return nil
}
