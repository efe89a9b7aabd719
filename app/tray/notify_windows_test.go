//go:build windows

package tray

import (
	"encoding/xml"
	"os"
	"strings"
	"testing"

	"claudemedic/assets/trayicon"
)

func TestToastXML(t *testing.T) {
	for _, tc := range []struct{ title, body, image string }{
		{"The Claude API cannot be reached", "", ""},
		{"无法连接 Claude API", `a <b> & "c" ]]> $(calc) 'd'`, `C:\Users\张三\AppData\Local\claudemedic\notify-down.png`},
		{"x", "line one\nline two", `C:\Program Files\a b#c.png`},
	} {
		doc := toastXML(tc.title, tc.body, tc.image)
		var got struct {
			Visual struct {
				Binding struct {
					Image struct {
						Src string `xml:"src,attr"`
					} `xml:"image"`
					Texts []string `xml:"text"`
				} `xml:"binding"`
			} `xml:"visual"`
		}
		if err := xml.Unmarshal([]byte(doc), &got); err != nil {
			t.Fatalf("toastXML(%q, %q) is not XML: %v\n%s", tc.title, tc.body, err, doc)
		}
		want := []string{tc.title}
		if tc.body != "" {
			want = append(want, tc.body)
		}
		if strings.Join(got.Visual.Binding.Texts, "|") != strings.Join(want, "|") {
			t.Errorf("texts %q, want %q", got.Visual.Binding.Texts, want)
		}
		if src := got.Visual.Binding.Image.Src; (tc.image == "") != (src == "") || (src != "" && !strings.HasPrefix(src, "file:///C:/")) {
			t.Errorf("image src %q for %q", src, tc.image)
		}
	}
}

// A toast that cannot be shown (Wine has no Windows Runtime notifications)
// is an error to log, never a crash; the icon file is written for the toast.
func TestToastFailureIsAnError(t *testing.T) {
	dir, err := os.MkdirTemp("", "toast")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) }) // not t.TempDir: Go's RemoveAll fails under Wine 8
	t.Setenv("LocalAppData", dir)
	err = (&toastNotifier{}).Notify("The Claude API cannot be reached", "test", trayicon.Down) // the toast itself, not the queue in front of it
	t.Logf("Notify: %v", err)                                                                  // shown on Windows, an error under Wine: either is right, a panic is not
	path, ferr := iconFile(trayicon.Down)
	if ferr != nil {
		t.Fatal(ferr)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != string(trayicon.PNG2x(trayicon.Down)) {
		t.Errorf("icon file %s: %v", path, err)
	}
}
