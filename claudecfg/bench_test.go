package claudecfg

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"claudemedic/claudesettings"
)

// BenchmarkEditFile is one whole save: read, check, edit, backup, atomic write with fsyncs.
func BenchmarkEditFile(b *testing.B) {
	home := b.TempDir()
	b.Setenv("HOME", home)
	b.Setenv("CLAUDE_CONFIG_DIR", "")
	b.Setenv("XDG_DATA_HOME", filepath.Join(home, "data"))
	in, err := os.ReadFile(filepath.Join("testdata", "golden", "settings.in.json"))
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(home, ".claude", "settings.json")
	os.MkdirAll(filepath.Dir(path), 0o700)
	os.WriteFile(path, in, 0o600)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := EditFile(path, Set(fmt.Sprint(1000+i), "env", claudesettings.VarAPITimeout)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApplyEditLarge edits one key of a settings file near MaxSettingsSize, in memory.
func BenchmarkApplyEditLarge(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("{\n  \"permissions\": {\n    \"allow\": [\n")
	for sb.Len() < MaxSettingsSize-200 {
		sb.WriteString("      \"Bash(npm run something:*)\",\n")
	}
	sb.WriteString("      \"Read(x)\"\n    ]\n  },\n  \"env\": {\"API_TIMEOUT_MS\": \"600000\"}\n}\n")
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := applyEdit(data, Set("120000", "env", claudesettings.VarAPITimeout)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResolve reads four settings layers and the environment (no programs run).
func BenchmarkResolve(b *testing.B) {
	home := b.TempDir()
	b.Setenv("HOME", home)
	project := b.TempDir()
	in, _ := os.ReadFile(filepath.Join("testdata", "golden", "settings.in.json"))
	for _, p := range []string{filepath.Join(home, ".claude", "settings.json"), filepath.Join(project, ".claude", "settings.json"), filepath.Join(project, ".claude", "settings.local.json")} {
		os.MkdirAll(filepath.Dir(p), 0o700)
		os.WriteFile(p, in, 0o600)
	}
	o := ResolveOptions{ProjectDir: project, Environ: append(os.Environ(), "ANTHROPIC_API_KEY=sk-ant-api03-x")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Resolve(context.Background(), o); err != nil {
			b.Fatal(err)
		}
	}
}
