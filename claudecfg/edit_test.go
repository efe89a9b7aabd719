package claudecfg

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"claudemedic/claudesettings"
)

// testHome points HOME, CLAUDE_CONFIG_DIR and XDG_DATA_HOME into a temporary
// folder and returns Claude Code's folder in it.
func testHome(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	t.Setenv("CLAUDE_CONFIG_DIR", "")
	t.Setenv("XDG_DATA_HOME", filepath.Join(home, ".local", "share"))
	t.Setenv("LocalAppData", filepath.Join(home, "AppData", "Local"))
	forgetLoginShell()
	return filepath.Join(home, ".claude")
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestApplyEditKeepsLayout(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		edit Edit
		want string
	}{
		{"replace a value", "{\n  \"env\": {\n    \"API_TIMEOUT_MS\": \"600000\"\n  }\n}\n",
			Set("120000", "env", "API_TIMEOUT_MS"),
			"{\n  \"env\": {\n    \"API_TIMEOUT_MS\": \"120000\"\n  }\n}\n"},
		{"add beside others, tabs", "{\n\t\"model\": \"opus\",\n\t\"env\": {\n\t\t\"A\": \"1\"\n\t}\n}",
			Set("2", "env", "B"),
			"{\n\t\"model\": \"opus\",\n\t\"env\": {\n\t\t\"A\": \"1\",\n\t\t\"B\": \"2\"\n\t}\n}"},
		{"create env in a 4-space file", "{\n    \"model\": \"opus\"\n}\n",
			Set("120000", "env", "API_TIMEOUT_MS"),
			"{\n    \"model\": \"opus\",\n    \"env\": {\n        \"API_TIMEOUT_MS\": \"120000\"\n    }\n}\n"},
		{"empty object", "{}\n", Set("sh x", "apiKeyHelper"), "{\n  \"apiKeyHelper\": \"sh x\"\n}\n"},
		{"empty file", "", Set("1", "env", "X"), "{\n  \"env\": {\n    \"X\": \"1\"\n  }\n}\n"},
		{"empty env object", "{\n  \"env\": {}\n}", Set("1", "env", "X"), "{\n  \"env\": {\n    \"X\": \"1\"\n  }\n}"},
		{"one line stays one line", `{"model":"opus","env":{"A":"1"}}`, Set("2", "env", "B"), `{"model":"opus","env":{"A":"1","B":"2"}}`},
		{"one line, new object", `{"model": "opus"}`, Set("2", "env", "B"), `{"model": "opus", "env": {"B": "2"}}`},
		{"remove a middle member", "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3\n}", Unset("b"), "{\n  \"a\": 1,\n  \"c\": 3\n}"},
		{"remove the first member", "{\n  \"a\": 1,\n  \"b\": 2\n}", Unset("a"), "{\n  \"b\": 2\n}"},
		{"remove the last member", "{\n  \"a\": 1,\n  \"b\": 2\n}", Unset("b"), "{\n  \"a\": 1\n}"},
		{"remove the only member", "{\n  \"env\": {\n    \"A\": \"1\"\n  }\n}", Unset("env", "A"), "{\n  \"env\": {}\n}"},
		{"remove a missing key", `{"a": 1}`, Unset("env", "A"), `{"a": 1}`},
		{"remove a repeated key", `{"a": 1, "b": 2, "a": 3}`, Unset("a"), `{"b": 2}`},
		{"set a repeated key", `{"a": 1, "b": 2, "a": 3}`, Set("x", "a"), `{"a": "x", "b": 2, "a": "x"}`},
		{"escaped names match", `{"\u0065nv": {"A": "1"}}`, Set("2", "env", "A"), `{"\u0065nv": {"A": "2"}}`},
		{"no HTML escaping", `{}`, Set("a && b <c>", "apiKeyHelper"), "{\n  \"apiKeyHelper\": \"a && b <c>\"\n}"},
		{"byte-order mark kept", "\xef\xbb\xbf{\"a\": 1}", Set(2, "a"), "\xef\xbb\xbf{\"a\": 2}"},
		{"CRLF file", "{\r\n  \"a\": 1\r\n}\r\n", Set(2, "b"), "{\r\n  \"a\": 1,\r\n  \"b\": 2\r\n}\r\n"},
		{"CRLF file, new object", "{\r\n  \"a\": {}\r\n}\r\n", Set("1", "env", "X"), "{\r\n  \"a\": {},\r\n  \"env\": {\r\n    \"X\": \"1\"\r\n  }\r\n}\r\n"},
		{"CRLF file, empty object", "{\r\n  \"env\": {}\r\n}\r\n", Set("1", "env", "X"), "{\r\n  \"env\": {\r\n    \"X\": \"1\"\r\n  }\r\n}\r\n"},
		{"composite value indented", "{\n  \"a\": 1\n}", Set(map[string]string{"X": "1"}, "env"), "{\n  \"a\": 1,\n  \"env\": {\n    \"X\": \"1\"\n  }\n}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := applyEdit([]byte(tc.in), tc.edit)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestApplyEditRefusesNonObjects(t *testing.T) {
	for _, tc := range []struct {
		in   string
		edit Edit
		want string
	}{
		{`{"env": "x"}`, Set("1", "env", "A"), "env is a string, not an object"},
		{`{"env": [1]}`, Set("1", "env", "A"), "env is a list"},
		{`[1, 2]`, Set("1", "env", "A"), "not hold a JSON object"},
	} {
		_, err := applyEdit([]byte(tc.in), tc.edit)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error with %q", tc.in, err, tc.want)
		}
	}
}

func TestEditFileRefusesBadValues(t *testing.T) {
	dir := testHome(t)
	path := filepath.Join(dir, "settings.json")
	writeFile(t, path, "{}\n")
	for _, e := range []Edit{
		Set("0", "env", claudesettings.VarAPITimeout),
		Set("2147483648", "env", claudesettings.VarAPITimeout),
		Set("1.5", "env", claudesettings.VarAPITimeout),
		Set("-1", "env", claudesettings.VarAPITimeout),
		Set("10m", "env", claudesettings.VarAPITimeout),
		Set("16", "env", claudesettings.VarMaxRetries),
		Set(120000, "env", claudesettings.VarAPITimeout),
		Set("socks5://127.0.0.1:1080", "env", claudesettings.VarHTTPSProxy),
		Set("http://corp proxy:8080", "env", claudesettings.VarHTTPSProxy),
		Set("", "apiKeyHelper"),
	} {
		if _, err := EditFile(path, e); err == nil {
			t.Errorf("%s=%v: accepted", e.Key(), e.Value)
		}
	}
	if b, _ := os.ReadFile(path); string(b) != "{}\n" {
		t.Errorf("the file changed: %q", b)
	}
	for _, e := range []Edit{Set("1", "env", claudesettings.VarAPITimeout), Set("2147483647", "env", claudesettings.VarAPITimeout), Set("0", "env", claudesettings.VarMaxRetries), Set("15", "env", claudesettings.VarMaxRetries), Set("", "env", claudesettings.VarAPITimeout)} {
		if _, err := EditFile(path, e); err != nil {
			t.Errorf("%s=%v: %v", e.Key(), e.Value, err)
		}
	}
}

func TestEditFileCreatesBacksUpAndUndoes(t *testing.T) {
	dir := testHome(t)
	path := filepath.Join(dir, "settings.json")

	c1, err := EditFile(path, Set("120000", "env", claudesettings.VarAPITimeout))
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("new file mode %v, want 0600", fi.Mode().Perm())
	}
	if c1.Backup != "" || len(c1.Keys) != 1 || !c1.Keys[0].Added || c1.Keys[0].Key() != "env.API_TIMEOUT_MS" {
		t.Errorf("change %+v", c1)
	}
	first, _ := os.ReadFile(path)

	c2, err := EditFile(path, Set("300000", "env", claudesettings.VarAPITimeout), Set("5", "env", claudesettings.VarMaxRetries))
	if err != nil {
		t.Fatal(err)
	}
	if c2.Backup == "" {
		t.Fatal("no backup")
	}
	if b, _ := os.ReadFile(c2.Backup); !bytes.Equal(b, first) {
		t.Errorf("backup %q, want %q", b, first)
	}
	if got := c2.Keys[0].String(); got != "env.API_TIMEOUT_MS: 120000 → 300000" {
		t.Errorf("key change %q", got)
	}
	if err := Undo(c2); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, first) {
		t.Errorf("after undo %q, want %q", b, first)
	}
	if err := Undo(c1); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("undoing the creation left the file: %v", err)
	}
	list, err := Backups(path)
	if err != nil || len(list) != 3 {
		t.Fatalf("backups %v, %v; want 3 (the edit, the undo, the removal)", list, err)
	}
	ch, err := Restore(list[0]) // the file as it was before it was removed
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); !bytes.Equal(b, first) || ch.Backup != "" {
		t.Errorf("after restore %q (backup %q), want %q", b, ch.Backup, first)
	}
}

func TestUndoRefusesALaterChange(t *testing.T) {
	dir := testHome(t)
	path := filepath.Join(dir, "settings.json")
	writeFile(t, path, `{"a": 1}`)
	c, err := EditFile(path, Set(2, "a"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, path, `{"a": 3}`)
	if err := Undo(c); !errors.Is(err, ErrChangedOnDisk) {
		t.Fatalf("undo over a later change: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != `{"a": 3}` {
		t.Errorf("the later change was lost: %q", b)
	}
}

func TestBackupsKeepTheLastTen(t *testing.T) {
	dir := testHome(t)
	path := filepath.Join(dir, "settings.json")
	writeFile(t, path, `{"n": 0}`)
	for i := 1; i <= KeepBackups+5; i++ {
		if _, err := EditFile(path, Set(i, "n")); err != nil {
			t.Fatal(err)
		}
	}
	list, err := Backups(path)
	if err != nil || len(list) != KeepBackups {
		t.Fatalf("%d backups, %v; want %d", len(list), err, KeepBackups)
	}
	if b, _ := os.ReadFile(list[0].Path); string(b) != `{"n": 14}` {
		t.Errorf("newest backup %q", b)
	}
	all, _ := Backups("")
	if len(all) != KeepBackups || all[0].File != path {
		t.Errorf("all backups: %d, first for %q", len(all), all[0].File)
	}
}

func TestSymlinkStaysALinkAndModeIsKept(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	dir := testHome(t)
	real := filepath.Join(t.TempDir(), "dotfiles", "claude-settings.json")
	writeFile(t, real, "{\n  \"model\": \"opus\"\n}\n")
	if err := os.Chmod(real, 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "settings.json")
	os.MkdirAll(dir, 0o700)
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	if _, err := EditFile(link, Set("1", "env", "X")); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(link)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("settings.json is no longer a link: %v %v", fi.Mode(), err)
	}
	b, _ := os.ReadFile(real)
	if !strings.Contains(string(b), `"X": "1"`) {
		t.Errorf("the link's target was not edited: %q", b)
	}
	if fi, _ := os.Stat(real); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", fi.Mode().Perm())
	}
}

// TestBadFilesAreRefusedAndKept: each bad file gets a clear error and stays byte for byte.
func TestBadFilesAreRefusedAndKept(t *testing.T) {
	dir := testHome(t)
	big := `{"pad": "` + strings.Repeat("x", 10<<20) + `"}`
	for _, tc := range []struct {
		name    string
		setup   func(path string)
		want    string
		wantErr error
	}{
		{"read-only", func(p string) { writeFile(t, p, `{"a": 1}`); os.Chmod(p, 0o400) }, "read-only", ErrReadOnly},
		{"10 MB", func(p string) { writeFile(t, p, big) }, "10.0 MB", ErrTooLarge},
		{"not UTF-8", func(p string) { writeFile(t, p, "{\n  \"a\": \"caf\xe9\"\n}") }, "line 2, column 12", ErrNotUTF8},
		{"a folder", func(p string) { os.MkdirAll(p, 0o700) }, "is a folder", ErrIsDirectory},
		{"trailing comma", func(p string) { writeFile(t, p, "{\n  \"a\": 1,\n}") }, "line 3, column 1", nil},
		{"a comment", func(p string) { writeFile(t, p, "{\n  // hi\n  \"a\": 1\n}") }, "line 2, column 3", nil},
		{"not an object", func(p string) { writeFile(t, p, "[1]") }, "JSON object", ErrNotObject},
		{"the state file", nil, "never edited", ErrStateFile},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-"), "settings.json")
			if tc.setup == nil {
				path = filepath.Join(filepath.Dir(dir), ".claude.json")
				writeFile(t, path, `{"x": 1}`)
			} else {
				tc.setup(path)
			}
			before := snapshotTree(t, filepath.Dir(path))
			_, err := EditFile(path, Set("1", "env", "X"))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error with %q", err, tc.want)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("error %v is not %v", err, tc.wantErr)
			}
			if after := snapshotTree(t, filepath.Dir(path)); after != before {
				t.Errorf("the folder changed:\n%s\nwas\n%s", after, before)
			}
		})
	}
}

func TestMissingFolderIsCreated(t *testing.T) {
	dir := testHome(t)
	path := filepath.Join(dir, "project", "deep", ".claude", "settings.local.json")
	if _, err := EditFile(path, Set("1", "env", "X")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "{\n  \"env\": {\n    \"X\": \"1\"\n  }\n}\n" {
		t.Errorf("got %q", b)
	}
}

func TestNoOpEditWritesNothing(t *testing.T) {
	dir := testHome(t)
	path := filepath.Join(dir, "settings.json")
	c, err := EditFile(path, Unset("env", claudesettings.VarHTTPSProxy))
	if err != nil || c.Changed() {
		t.Fatalf("%+v, %v", c, err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("removing a key from a missing file created something: %v", err)
	}
	writeFile(t, path, `{"a": 1}`)
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	d.Apply(Set(1, "a"), Set("x", "b"))
	if p := d.Pending(); len(p) != 1 || p[0].Key() != "b" {
		t.Errorf("pending %+v", p)
	}
	if list, _ := Backups(path); len(list) != 0 {
		t.Errorf("backups before any save: %v", list)
	}
}

func TestReadOnlyFolderGivesAClearError(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("root and Windows ignore a folder's write permission")
	}
	dir := testHome(t)
	path := filepath.Join(dir, "settings.json")
	writeFile(t, path, `{"a": 1}`)
	os.Chmod(dir, 0o500)
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	_, err := EditFile(path, Set(2, "a"))
	if err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("got %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != `{"a": 1}` {
		t.Errorf("changed: %q", b)
	}
}

func TestSaveRefusesAChangeOnDisk(t *testing.T) {
	dir := testHome(t)
	path := filepath.Join(dir, "settings.json")
	writeFile(t, path, `{"n": 0}`)
	a, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	a.Apply(Set(1, "n"))
	b.Apply(Set(2, "n"))
	if _, err := a.Save(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Save(); !errors.Is(err, ErrChangedOnDisk) {
		t.Fatalf("second writer: %v, want ErrChangedOnDisk", err)
	}
	if got, _ := os.ReadFile(path); string(got) != `{"n": 1}` {
		t.Errorf("file %q", got)
	}
}

// snapshotTree lists a folder's files with their sizes, modes and contents' start.
func snapshotTree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		b.WriteString(p + " " + fi.Mode().String() + " " + fi.ModTime().String())
		if fi.Mode().IsRegular() {
			data, _ := os.ReadFile(p)
			b.WriteString(" " + string(data[:min(len(data), 64)]))
		}
		b.WriteString("\n")
		return nil
	})
	return b.String()
}
