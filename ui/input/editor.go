package input

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// EditedMsg carries the text back from $EDITOR. On error the pane keeps its
// text.
type EditedMsg struct {
	Text string
	Err  error
}

// EditCmd edits text in $VISUAL or $EDITOR (vi when neither is set) while the
// program is suspended: the text goes to a 0600 file in a fresh 0700 temporary
// directory, which is removed afterwards, and the saved content comes back as
// an EditedMsg. All the IO happens when the command runs, never in Update.
func EditCmd(text string) tea.Cmd {
	c := &editCommand{text: text}
	return tea.Exec(c, c.done)
}

// editCommand is the tea.ExecCommand behind EditCmd.
type editCommand struct {
	text           string
	stdin          io.Reader
	stdout, stderr io.Writer
	result         string
}

func (c *editCommand) SetStdin(r io.Reader)  { c.stdin = r }
func (c *editCommand) SetStdout(w io.Writer) { c.stdout = w }
func (c *editCommand) SetStderr(w io.Writer) { c.stderr = w }

// done turns the end of Run into the message; Bubble Tea calls it after Run
// returns, on the same goroutine.
func (c *editCommand) done(err error) tea.Msg {
	if err != nil {
		return EditedMsg{Err: err}
	}
	return EditedMsg{Text: c.result}
}

// Run writes the file, runs the editor on it and reads it back.
func (c *editCommand) Run() (err error) {
	dir, err := os.MkdirTemp("", "flowtui-input-") // mode 0700
	if err != nil {
		return fmt.Errorf("editing the input: %w", err)
	}
	defer func() {
		if rerr := os.RemoveAll(dir); rerr != nil && err == nil {
			err = fmt.Errorf("removing %s: %w", dir, rerr)
		}
	}()
	path := filepath.Join(dir, "input.json")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("editing the input: %w", err)
	}
	_, werr := io.WriteString(f, c.text)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("writing %s: %w", path, werr)
	}

	name, cmd := editorCommand(path)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.stdin, c.stdout, c.stderr
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return fmt.Errorf("%s exited with status %d; the input is unchanged", name, exit.ExitCode())
		}
		return fmt.Errorf("running %s (set $VISUAL or $EDITOR): %w", name, err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading %s back: %w", path, err)
	}
	c.result = string(data)
	// Editors end the file with a newline; the text did not have one.
	if !strings.HasSuffix(c.text, "\n") {
		c.result = strings.TrimSuffix(strings.TrimSuffix(c.result, "\n"), "\r")
	}
	return nil
}

// editorCommand is the user's editor on path: $VISUAL, else $EDITOR, else vi.
// The variable may carry arguments ("code --wait"); like git, a POSIX shell
// splits it, and the path is passed as a separate argument, never spliced in.
func editorCommand(path string) (string, *exec.Cmd) {
	editor := strings.TrimSpace(os.Getenv("VISUAL"))
	if editor == "" {
		editor = strings.TrimSpace(os.Getenv("EDITOR"))
	}
	if editor == "" {
		editor = "vi"
	}
	if runtime.GOOS == "windows" {
		f := strings.Fields(editor)
		return f[0], exec.Command(f[0], append(f[1:], path)...)
	}
	return editor, exec.Command("/bin/sh", "-c", editor+` "$@"`, editor, path)
}
