package keystore

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"claudemedic/claudecfg"
)

func TestHelperCommand(t *testing.T) {
	tests := []struct{ exe, profile, want string }{
		{"/usr/bin/claudemedic", "", "/usr/bin/claudemedic key print"},
		{"/usr/bin/claudemedic", "default", "/usr/bin/claudemedic key print"},
		{"/usr/bin/claudemedic", "relay-2", "/usr/bin/claudemedic key print --profile relay-2"},
		{"/opt/Claude Medic/claudemedic", "", "'/opt/Claude Medic/claudemedic' key print"},
		{"/home/o'brien/bin/claudemedic", "", `'/home/o'\''brien/bin/claudemedic' key print`},
		{`C:\Program Files\Claude Medic\claudemedic.exe`, "", `'C:\Program Files\Claude Medic\claudemedic.exe' key print`},
	}
	for _, tt := range tests {
		if got := HelperCommand(tt.exe, tt.profile); got != tt.want {
			t.Errorf("HelperCommand(%q, %q) = %q; want %q", tt.exe, tt.profile, got, tt.want)
		}
	}
	// What sh runs is the path itself, whatever it holds.
	dir := filepath.Join(t.TempDir(), "it's a $dir `x`")
	os.MkdirAll(dir, 0o700)
	exe := filepath.Join(dir, "claude medic")
	os.WriteFile(exe, []byte("#!/bin/sh\necho \"ran $*\"\n"), 0o700)
	out, err := exec.Command("sh", "-c", HelperCommand(exe, "p1")).CombinedOutput()
	if err != nil || string(out) != "ran key print --profile p1\n" {
		t.Fatalf("sh -c %q: %v, %q", HelperCommand(exe, "p1"), err, out)
	}
}

// useHome points Claude Code's and Claude Medic's folders into a temporary
// home and returns the user settings file.
func useHome(t *testing.T) (home, settings string) {
	home = t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("CLAUDE_CONFIG_DIR", "")
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
	t.Setenv("XDG_DATA_HOME", filepath.Join(home, ".local", "share"))
	t.Setenv("ANTHROPIC_API_KEY", "")
	t.Setenv("ANTHROPIC_AUTH_TOKEN", "")
	return home, filepath.Join(home, ".claude", "settings.json")
}

// filesHolding lists the files under root whose bytes hold s.
func filesHolding(t *testing.T, root, s string) []string {
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if b, _ := os.ReadFile(p); strings.Contains(string(b), s) {
				out = append(out, p)
			}
		}
		return nil
	})
	return out
}

func TestUseWithClaudeCode(t *testing.T) {
	desktop(t)
	ctx := context.Background()
	const exe = "/opt/Claude Medic/claudemedic"
	opts := UseOptions{Executable: exe}

	t.Run("no key anywhere", func(t *testing.T) {
		_, settings := useHome(t)
		_, err := UseWithClaudeCode(ctx, uniqueProfile(t), opts)
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("err = %v; want ErrNotFound", err)
		}
		if _, err := os.Stat(settings); !errors.Is(err, fs.ErrNotExist) {
			t.Fatal("the settings file was created for nothing")
		}
	})

	t.Run("key in the keychain", func(t *testing.T) {
		_, settings := useHome(t)
		p := uniqueProfile(t)
		t.Cleanup(func() { Delete(ctx, p) })
		os.MkdirAll(filepath.Dir(settings), 0o700)
		os.WriteFile(settings, []byte("{\n    \"model\": \"opus\"\n}\n"), 0o600)
		if err := Set(ctx, p, testKey); err != nil {
			t.Fatal(err)
		}
		res, err := UseWithClaudeCode(ctx, p, opts)
		if err != nil {
			t.Fatal(err)
		}
		want := "{\n    \"model\": \"opus\",\n    \"apiKeyHelper\": \"'/opt/Claude Medic/claudemedic' key print --profile " + p + "\"\n}\n"
		if b, _ := os.ReadFile(settings); string(b) != want {
			t.Fatalf("settings:\n%s\nwant:\n%s", b, want)
		}
		if res.Moved || res.Change == nil || res.Change.Backup == "" || res.File != settings {
			t.Fatalf("result %+v", res)
		}
		if err := claudecfg.Undo(res.Change); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(settings); string(b) != "{\n    \"model\": \"opus\"\n}\n" {
			t.Fatalf("after Undo:\n%s", b)
		}
	})

	plainSettings := "{\n  \"env\": {\n    \"API_TIMEOUT_MS\": \"300000\",\n    \"ANTHROPIC_API_KEY\": \"" + testKey + "\"\n  }\n}\n"

	t.Run("plaintext key without --move-plaintext", func(t *testing.T) {
		home, settings := useHome(t)
		p := uniqueProfile(t)
		os.MkdirAll(filepath.Dir(settings), 0o700)
		os.WriteFile(settings, []byte(plainSettings), 0o600)
		_, err := UseWithClaudeCode(ctx, p, opts)
		if !errors.Is(err, ErrPlaintextInSettings) || strings.Contains(err.Error(), testKey) {
			t.Fatalf("err = %v; want ErrPlaintextInSettings, without the key", err)
		}
		if b, _ := os.ReadFile(settings); string(b) != plainSettings {
			t.Fatal("the settings changed")
		}
		if _, ok := lookup(t, p); ok {
			t.Fatal("the key was stored without --move-plaintext")
		}
		if got := filesHolding(t, home, testKey); len(got) != 1 {
			t.Fatalf("files holding the key: %v; want the settings only", got)
		}
	})

	t.Run("move plaintext", func(t *testing.T) {
		home, settings := useHome(t)
		p := uniqueProfile(t)
		t.Cleanup(func() { Delete(ctx, p) })
		os.MkdirAll(filepath.Dir(settings), 0o700)
		os.WriteFile(settings, []byte(plainSettings), 0o600)
		t.Setenv("ANTHROPIC_AUTH_TOKEN", "shell-token")
		res, err := UseWithClaudeCode(ctx, p, UseOptions{Executable: exe, MovePlaintext: true})
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := lookup(t, p); !ok || got != testKey {
			t.Fatalf("the keychain holds %q, %v", got, ok)
		}
		want := "{\n  \"env\": {\n    \"API_TIMEOUT_MS\": \"300000\"\n  },\n  \"apiKeyHelper\": \"'/opt/Claude Medic/claudemedic' key print --profile " + p + "\"\n}\n"
		if b, _ := os.ReadFile(settings); string(b) != want {
			t.Fatalf("settings:\n%s\nwant:\n%s", b, want)
		}
		if !res.Moved || res.Scrubbed != 1 {
			t.Fatalf("result %+v; want moved, one backup scrubbed", res)
		}
		if got := filesHolding(t, home, testKey); len(got) != 0 {
			t.Fatalf("files still holding the key: %v", got)
		}
		if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0].EN, "ANTHROPIC_AUTH_TOKEN is set in this shell") {
			t.Fatalf("warnings %v; want one about the shell's ANTHROPIC_AUTH_TOKEN", res.Warnings)
		}
	})

	t.Run("plaintext copy of the keychain's key", func(t *testing.T) {
		_, settings := useHome(t)
		p := uniqueProfile(t)
		t.Cleanup(func() { Delete(ctx, p) })
		os.MkdirAll(filepath.Dir(settings), 0o700)
		os.WriteFile(settings, []byte(plainSettings), 0o600)
		Set(ctx, p, testKey)
		res, err := UseWithClaudeCode(ctx, p, opts)
		if err != nil || res.Moved {
			t.Fatalf("= %+v, %v; want the copy removed without a move", res, err)
		}
		if b, _ := os.ReadFile(settings); strings.Contains(string(b), testKey) {
			t.Fatal("the plaintext copy stayed")
		}
	})

	t.Run("conflict", func(t *testing.T) {
		_, settings := useHome(t)
		p := uniqueProfile(t)
		t.Cleanup(func() { Delete(ctx, p) })
		other := strings.Replace(testKey, "TEST", "OTHR", 1)
		Set(ctx, p, other)
		os.MkdirAll(filepath.Dir(settings), 0o700)
		os.WriteFile(settings, []byte(plainSettings), 0o600)
		_, err := UseWithClaudeCode(ctx, p, UseOptions{Executable: exe, MovePlaintext: true})
		if !errors.Is(err, ErrKeyConflict) || strings.Contains(err.Error(), testKey) || strings.Contains(err.Error(), other) {
			t.Fatalf("err = %v; want ErrKeyConflict without either key", err)
		}
		if got, _ := lookup(t, p); got != other {
			t.Fatal("the keychain's key was replaced")
		}
		if b, _ := os.ReadFile(settings); string(b) != plainSettings {
			t.Fatal("the settings changed")
		}
	})

	t.Run("a replaced plaintext key is dropped", func(t *testing.T) {
		_, settings := useHome(t)
		p := uniqueProfile(t)
		t.Cleanup(func() { Delete(ctx, p) })
		replacement := strings.Replace(testKey, "TEST", "NEWK", 1)
		if err := Set(ctx, p, replacement); err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(settings), 0o700)
		os.WriteFile(settings, []byte(plainSettings), 0o600)
		if _, err := UseWithClaudeCode(ctx, p, UseOptions{Executable: exe}); !errors.Is(err, ErrPlaintextInSettings) {
			t.Fatalf("without DropPlaintext: err = %v; want ErrPlaintextInSettings", err)
		}
		res, err := UseWithClaudeCode(ctx, p, UseOptions{Executable: exe, DropPlaintext: true})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(settings)
		if strings.Contains(string(b), testKey) || !strings.Contains(string(b), "apiKeyHelper") || res.Moved {
			t.Fatalf("settings after dropping the old key (moved %v):\n%s", res.Moved, b)
		}
		if got, _ := lookup(t, p); got != replacement {
			t.Fatal("the keychain's key is not the replacement")
		}
	})

	t.Run("invalid plaintext key", func(t *testing.T) {
		_, settings := useHome(t)
		p := uniqueProfile(t)
		bad := strings.Replace(plainSettings, testKey, testToken, 1) // an OAuth token where an API key belongs
		os.MkdirAll(filepath.Dir(settings), 0o700)
		os.WriteFile(settings, []byte(bad), 0o600)
		_, err := UseWithClaudeCode(ctx, p, UseOptions{Executable: exe, MovePlaintext: true})
		if !errors.Is(err, ErrInvalidKey) || !strings.Contains(err.Error(), "still there") {
			t.Fatalf("err = %v; want ErrInvalidKey, the key left in place", err)
		}
		if b, _ := os.ReadFile(settings); string(b) != bad {
			t.Fatal("the settings changed")
		}
	})

	t.Run("settings that do not parse", func(t *testing.T) {
		_, settings := useHome(t)
		p := uniqueProfile(t)
		broken := "{\n  \"env\": {\"ANTHROPIC_API_KEY\": \"" + testKey + "\",},\n}\n" // trailing commas
		os.MkdirAll(filepath.Dir(settings), 0o700)
		os.WriteFile(settings, []byte(broken), 0o600)
		_, err := UseWithClaudeCode(ctx, p, UseOptions{Executable: exe, MovePlaintext: true})
		if err == nil || !strings.Contains(err.Error(), "line 2") || strings.Contains(err.Error(), testKey) {
			t.Fatalf("err = %v; want where the file is broken, without the key", err)
		}
		if b, _ := os.ReadFile(settings); string(b) != broken {
			t.Fatal("a file that does not parse was changed")
		}
		if _, ok := lookup(t, p); ok {
			t.Fatal("a key was stored from a file that does not parse")
		}
	})
}
