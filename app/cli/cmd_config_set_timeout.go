package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/doctor"
	"claudemedic/internal/i18n"
)

// millis reads a timeout flag: milliseconds ("120000"), a duration ("2m",
// "90s") or "default" (remove the setting), with claudesettings.ParseInput,
// the parser the window uses too.
func millis(tr i18n.Printer, name, s string) (string, error) {
	v, err := claudesettings.ParseInput(name, s)
	switch {
	case errors.Is(err, claudesettings.ErrNotDuration):
		return "", errors.New(tr.X("config.not_millis", "{{.Name}}: {{.Value}} is neither milliseconds (120000) nor a duration (2m, 90s)", "Name", name, "Value", fmt.Sprintf("%q", strings.TrimSpace(s))))
	case errors.Is(err, claudesettings.ErrNotWholeMillis):
		d, _ := time.ParseDuration(strings.TrimSpace(s))
		return "", errors.New(tr.X("config.not_whole_millis", "{{.Name}}: {{.Value}} is not a whole number of milliseconds", "Name", name, "Value", d))
	case err != nil:
		if p, ok := claudesettings.ProblemOf(err); ok {
			return "", errors.New(p.In(tr.Lang()))
		}
	}
	return v, err
}

// rangeText is a value error without its sentinel's words.
func rangeText(err error) string {
	return strings.TrimSuffix(err.Error(), ": "+claudesettings.ErrOutOfRange.Error())
}

// setTimeoutOptions are set-timeout's flags.
type setTimeoutOptions struct {
	preset, apiTimeout, retries, bash, mcp string
	json                                   bool
	layerFlags
}

func runSetTimeout(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	synopsis := tr.X("config.set_timeout_synopsis", `config set-timeout [--preset default|slow-network|relay] [--api-timeout T] [--retries N]
                          [--bash-timeout T] [--mcp-timeout T] [--layer user|project|local] [--json]

Sets Claude Code's timeouts and retries in a settings file's env. T is
milliseconds (600000), a duration (10m, 90s) or "default" to remove the setting.
A preset sets several at once; flags given with it win. Every save is backed up
and can be undone with 'claudemedic config restore'.

Presets:`) + "\n"
	for _, p := range claudecfg.Presets {
		synopsis += fmt.Sprintf("  %-13s %s\n", p.Name, p.Why.In(tr.Lang()))
	}
	fs := e.flags(strings.TrimSuffix(synopsis, "\n"))
	var o setTimeoutOptions
	fs.StringVar(&o.preset, "preset", "", tr.X("config.flag_preset", "apply a preset: default, slow-network or relay"))
	fs.StringVar(&o.apiTimeout, "api-timeout", "", tr.X("config.flag_api_timeout", "API_TIMEOUT_MS: how long one request may take"))
	fs.StringVar(&o.retries, "retries", "", tr.X("config.flag_retries", "CLAUDE_CODE_MAX_RETRIES: 0 to 15, or default"))
	fs.StringVar(&o.bash, "bash-timeout", "", tr.X("config.flag_bash_timeout", "BASH_DEFAULT_TIMEOUT_MS: how long a shell command may run"))
	fs.StringVar(&o.mcp, "mcp-timeout", "", tr.X("config.flag_mcp_timeout", "MCP_TIMEOUT: how long an MCP server may take to start"))
	fs.BoolVar(&o.json, "json", false, tr.X("config.flag_change_json", "print the change as JSON"))
	o.layerFlags.add(fs, tr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noArgs(fs); err != nil {
		return err
	}
	values := map[string]string{}
	var order []string
	if o.preset != "" {
		p, err := claudecfg.PresetNamed(o.preset)
		if err != nil {
			return usageErr(err.Error())
		}
		for _, name := range claudecfg.TimeoutVars {
			if v, ok := p.Values[name]; ok {
				values[name] = v
				order = append(order, name)
			}
		}
	}
	for _, f := range []struct{ name, val string }{{claudesettings.VarAPITimeout, o.apiTimeout}, {claudesettings.VarMaxRetries, o.retries}, {claudesettings.VarBashTimeout, o.bash}, {claudesettings.VarMCPTimeout, o.mcp}} {
		if f.val == "" {
			continue
		}
		v, err := millis(tr, f.name, f.val)
		if err != nil {
			return usageErr(rangeText(err))
		}
		if _, ok := values[f.name]; !ok {
			order = append(order, f.name)
		}
		values[f.name] = v
	}
	if len(values) == 0 {
		return usageErr(tr.X("config.nothing_to_set", "nothing to set: give --preset or a timeout flag (see --help)"))
	}
	file, err := o.file(tr)
	if err != nil {
		return usageErr(err.Error())
	}
	vars := make([]doctor.Var, len(order))
	for i, name := range order {
		vars[i] = doctor.Var{Name: name, Value: values[name]}
	}
	c, err := doctor.SetVars(file, vars...)
	if err != nil {
		return err
	}
	return e.showSaved(ctx, o.layerFlags, c, o.json)
}
