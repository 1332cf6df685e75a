package input

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fakeEditor writes a shell script that records what it was given (path,
// file mode, directory mode, content) into dir and then runs body on "$1".
func fakeEditor(t *testing.T, body string) (script, dir string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake editor is a POSIX shell script")
	}
	dir = t.TempDir()
	script = filepath.Join(dir, "editor.sh")
	src := `#!/bin/sh
mode() { stat -c %a "$1" 2>/dev/null || stat -f %Lp "$1"; }
printf %s "$1" > "` + dir + `/path"
mode "$1" > "` + dir + `/mode"
mode "$(dirname "$1")" > "` + dir + `/dirmode"
cat "$1" > "` + dir + `/seen"
` + body + "\n"
	if err := os.WriteFile(script, []byte(src), 0o700); err != nil {
		t.Fatal(err)
	}
	return script, dir
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(b))
}

// runEdit runs EditCmd's process the way tea.Exec does, without a program.
func runEdit(text string) EditedMsg {
	c := &editCommand{text: text}
	var out bytes.Buffer
	c.SetStdin(strings.NewReader(""))
	c.SetStdout(&out)
	c.SetStderr(&out)
	return c.done(c.Run()).(EditedMsg)
}

func TestEditCmdRoundTripsThroughAPrivateTempFile(t *testing.T) {
	script, dir := fakeEditor(t, `printf '{"edited": true}\n' > "$1"`)
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", script)
	if EditCmd(`{"a": 1}`) == nil {
		t.Fatal("EditCmd returned no command")
	}

	msg := runEdit(`{"a": 1}`)
	if msg.Err != nil {
		t.Fatal(msg.Err)
	}
	if msg.Text != `{"edited": true}` {
		t.Fatalf("Text = %q, want the edited content without the editor's final newline", msg.Text)
	}
	if got := readFile(t, filepath.Join(dir, "seen")); got != `{"a": 1}` {
		t.Fatalf("the editor saw %q", got)
	}
	if got := readFile(t, filepath.Join(dir, "mode")); got != "600" {
		t.Fatalf("temp file mode %s, want 600", got)
	}
	if got := readFile(t, filepath.Join(dir, "dirmode")); got != "700" {
		t.Fatalf("temp dir mode %s, want 700", got)
	}
	path := readFile(t, filepath.Join(dir, "path"))
	if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
		t.Fatalf("temp dir %s left behind (stat: %v)", filepath.Dir(path), err)
	}
}

func TestEditCmdPrefersVisualAndKeepsArguments(t *testing.T) {
	script, _ := fakeEditor(t, `printf '%s' "$FLAG" > "$1"`)
	t.Setenv("VISUAL", "FLAG=from-visual "+script)
	t.Setenv("EDITOR", "false")
	if msg := runEdit("x"); msg.Err != nil || msg.Text != "from-visual" {
		t.Fatalf("got %+v", msg)
	}
}

func TestEditCmdReportsAFailingEditor(t *testing.T) {
	script, _ := fakeEditor(t, "exit 3")
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", script)
	msg := runEdit(`{"a": 1}`)
	if msg.Err == nil || !strings.Contains(msg.Err.Error(), "exited with status 3") {
		t.Fatalf("Err = %v", msg.Err)
	}
	m, _ := newTestModel(t, 56, 9)
	m.SetValue(`{"keep": 1}`, "")
	m, _ = m.Update(msg)
	if m.Value() != `{"keep": 1}` {
		t.Fatalf("a failed edit replaced the text with %q", m.Value())
	}
}

func TestEditCmdKeepsAFinalNewlineTheTextHad(t *testing.T) {
	script, _ := fakeEditor(t, "true")
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", script)
	if msg := runEdit("{}\n"); msg.Text != "{}\n" {
		t.Fatalf("Text = %q", msg.Text)
	}
}
