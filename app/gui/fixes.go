package gui

import (
	"context"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"claudemedic/netcheck"
)

// FixKind is the one-click action that fixes a finding.
type FixKind string

// The actions the wizard can apply.
const (
	FixNone        FixKind = ""
	FixKey         FixKind = "key"          // store a new key in the keychain and point Claude Code at it
	FixTimeout     FixKind = "timeout"      // raise API_TIMEOUT_MS to what the measurement needs
	FixRemoveProxy FixKind = "remove-proxy" // remove the broken proxy from the user settings
	FixNoProxy     FixKind = "no-proxy"     // exempt the local base URL from the proxy
	FixRemoveBase  FixKind = "remove-base"  // remove a stale ANTHROPIC_BASE_URL from the user settings
	FixCAFile      FixKind = "ca-file"      // give Claude Code the inspecting proxy's CA
	FixRetries     FixKind = "retries"      // let Claude Code retry longer through overload
	maxRetries             = 15             // CLAUDE_CODE_MAX_RETRIES' ceiling
	settingsEnvSrc         = netcheck.SourceUserSettings
)

// FixFor is the action for a finding, given where the settings involved come
// from: Claude Medic edits the user settings and the keychain only, so a value
// from the shell or the managed settings gets the written fix and no button.
func FixFor(f netcheck.Finding, t netcheck.TargetView) FixKind {
	fromUser := func(s netcheck.Source) bool { return s == settingsEnvSrc }
	switch f.Code {
	case netcheck.KeyMissing, netcheck.KeyMalformed, netcheck.KeyWrongKind, netcheck.AuthInvalid:
		if t.KeySource == netcheck.SourceShell || t.KeySource == netcheck.SourceLoginShell ||
			t.KeySource == netcheck.SourceUserEnvironment || t.KeySource == netcheck.SourceManagedSettings {
			return FixNone // the shell's value wins over anything stored
		}
		return FixKey
	case netcheck.TimeoutTooLow, netcheck.SlowResponse:
		return FixTimeout
	case netcheck.ProxyURLInvalid, netcheck.ProxySocksUnsupported, netcheck.ProxyUnreachable:
		if fromUser(t.ProxySource) {
			return FixRemoveProxy
		}
	case netcheck.ProxyCatchesLocal:
		return FixNoProxy
	case netcheck.TCPRefused, netcheck.DNSFailed:
		if fromUser(t.BaseURLSource) {
			return FixRemoveBase
		}
	case netcheck.TLSUntrusted:
		return FixCAFile
	case netcheck.Overloaded: // a 429 is better waited out at the default retries (the catalogue's fix says so)
		return FixRetries
	case netcheck.ConfigInvalid:
		return FixNone // invalid JSON is shown, never overwritten
	}
	return FixNone
}

// fixWidget is the button that applies a finding's fix, or nil: the wizard
// and the status page show it under the finding.
func (w *Window) fixWidget(f netcheck.Finding, r *netcheck.Report) fyne.CanvasObject {
	kind := FixFor(f, r.Target)
	if kind == FixNone || w.svc.Settings == nil {
		return nil
	}
	box := container.NewVBox()
	notice := widget.NewLabel("")
	notice.Wrapping = wrapping()
	notice.Hide()
	var btn *widget.Button
	applied := func(c *Change, err error) {
		if err != nil {
			btn.Enable()
			notice.SetText(lang.X("fix.failed", "Could not apply the fix: {{.Err}}", map[string]any{"Err": err.Error()}))
			notice.Importance = widget.DangerImportance
			notice.Show()
			return
		}
		btn.SetText(lang.X("fix.applied", "Applied"))
		btn.SetIcon(theme.ConfirmIcon())
		box.Add(changeNotice(w, c, func() { btn.Enable(); btn.SetText(fixLabel(kind)) }))
	}
	apply := func(do func(ctx context.Context) (*Change, error)) {
		btn.Disable()
		background(func() (*Change, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			return do(ctx)
		}, applied)
	}
	settings := w.svc.Settings
	btn = widget.NewButtonWithIcon(fixLabel(kind), theme.ConfirmIcon(), func() {
		switch kind {
		case FixKey:
			btn.Hide()
			box.Add(w.keyForm(func(c *Change) { applied(c, nil) }))
		case FixTimeout:
			apply(func(ctx context.Context) (*Change, error) {
				s, err := settings.SuggestTimeout(r)
				if err != nil {
					return nil, err
				}
				return settings.SetEnv(ctx, "API_TIMEOUT_MS", strconv.FormatInt(s.Timeout.Milliseconds(), 10))
			})
		case FixRemoveProxy:
			apply(func(ctx context.Context) (*Change, error) { return settings.SetProxy(ctx, "", nil) })
		case FixNoProxy:
			apply(func(ctx context.Context) (*Change, error) {
				return settings.SetEnv(ctx, "NO_PROXY", addNoProxy(r.Target))
			})
		case FixRemoveBase:
			apply(func(ctx context.Context) (*Change, error) { return settings.SetEnv(ctx, "ANTHROPIC_BASE_URL", "") })
		case FixRetries:
			apply(func(ctx context.Context) (*Change, error) {
				return settings.SetEnv(ctx, "CLAUDE_CODE_MAX_RETRIES", strconv.Itoa(maxRetries))
			})
		case FixCAFile:
			w.chooseFile(func(path string) {
				apply(func(ctx context.Context) (*Change, error) { return settings.SetCAFile(ctx, path) })
			})
		}
	})
	btn.Importance = widget.HighImportance
	box.Add(container.NewHBox(btn))
	box.Add(notice)
	return box
}

func fixLabel(k FixKind) string {
	switch k {
	case FixKey:
		return lang.X("fix.key", "Enter a new API key")
	case FixTimeout:
		return lang.X("fix.timeout", "Raise the timeout")
	case FixRemoveProxy:
		return lang.X("fix.remove_proxy", "Remove this proxy setting")
	case FixNoProxy:
		return lang.X("fix.no_proxy", "Don't send local requests through the proxy")
	case FixRemoveBase:
		return lang.X("fix.remove_base", "Remove ANTHROPIC_BASE_URL (use api.anthropic.com)")
	case FixCAFile:
		return lang.X("fix.ca_file", "Choose the proxy's CA certificate…")
	case FixRetries:
		return lang.X("fix.retries", "Let Claude Code retry longer")
	}
	return ""
}

// addNoProxy is NO_PROXY with the base URL's host added.
func addNoProxy(t netcheck.TargetView) string {
	host := t.BaseURL
	if u, err := url.Parse(t.BaseURL); err == nil && u.Host != "" {
		host = u.Hostname()
	}
	list := []string{}
	if t.NoProxy != nil && *t.NoProxy != "" {
		list = strings.Split(*t.NoProxy, ",")
	}
	for _, h := range list {
		if strings.TrimSpace(h) == host {
			return strings.Join(list, ",")
		}
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		list = append(list, "localhost")
	}
	return strings.Join(append(list, host), ",")
}

// pickCAFile asks for a PEM file with the system's file chooser (Window.chooseFile's default).
func (w *Window) pickCAFile(done func(path string)) {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		path := rc.URI().Path()
		rc.Close()
		done(path)
	}, w.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pem", ".crt", ".cer"}))
	d.Resize(fyne.NewSize(720, 520))
	d.Show()
}
