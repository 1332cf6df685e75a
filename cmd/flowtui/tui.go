package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/session/backend"
	uiapp "github.com/flowtui/flowtui/ui/app"
	"github.com/flowtui/flowtui/ui/palette"
)

// tui opens the terminal UI on the chosen backend.
func (a *app) tui(cmd *cobra.Command) error {
	out, isFile := a.io.out.(*os.File)
	if !isFile || !term.IsTerminal(out.Fd()) {
		fmt.Fprintln(a.io.err, "flowtui: the terminal UI needs a terminal; the commands below work anywhere.")
		return cmd.Help()
	}
	a.quietFallback = true
	b, err := a.backend(0)
	if err != nil {
		return err
	}
	cfg, err := loadConfig()
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	logger, err := a.logger()
	if err != nil {
		return err
	}
	var notices []string
	if a.fellBack {
		notices = append(notices, "no credentials found: local engine with the demo flows")
	}
	hs, err := a.openHistory(cmd.Context())
	if err != nil {
		notices = append(notices, "history off: "+err.Error())
	}
	m, err := uiapp.New(uiapp.Options{
		Backend: b, History: hs, Choices: a.choices(), Switch: a.switchBackend, Args: a.reproduce(b),
		Mouse: a.mouse, NoColor: os.Getenv("NO_COLOR") != "", Theme: cfg.Theme, Keymap: cfg.Keymap,
		Log: logger, Notice: strings.Join(notices, "; "),
	})
	if err != nil {
		return &exitError{code: exitUsage, err: cfg.keymapError(err)}
	}
	err = runProgram(cmd.Context(), uiapp.Throttle(m, uiapp.FrameInterval), a.io.in, out)
	// A run still in flight as the program ended (q, ctrl+c, an interrupt)
	// is recorded now, before run's clean-ups close the history, and said.
	for line := range strings.Lines(m.Finish()) {
		fmt.Fprintln(a.io.err, "flowtui: "+sanitize.Line(strings.TrimSuffix(line, "\n")))
	}
	return err
}

// runProgram runs the TUI on in and out until it quits. An interrupt
// (SIGINT, SIGTERM: main cancels ctx) ends it with exit 130, as for every
// command, once Bubble Tea has restored the terminal; run's clean-ups close
// the history afterwards. Bubble Tea's own signal handler is off, so that an
// interrupt always arrives the one way, through ctx.
func runProgram(ctx context.Context, m tea.Model, in io.Reader, out io.Writer) error {
	_, err := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out),
		tea.WithoutSignalHandler()).Run()
	switch {
	case ctx.Err() != nil || errors.Is(err, tea.ErrInterrupted):
		return &exitError{code: exitInterrupted, err: errors.New("interrupted")}
	case err != nil:
		return &exitError{code: exitAPI, err: fmt.Errorf("terminal UI: %w", err)}
	}
	return nil
}

// choices are what the backend picker offers (session/backend Choices).
func (a *app) choices() []palette.Item {
	var items []palette.Item
	for _, c := range backend.Choices() {
		items = append(items, palette.Item{ID: c.ID, Title: c.Title})
	}
	return items
}

// switchBackend builds the backend a picker choice names, and the flags that
// choose it again; the same --debug log goes on.
func (a *app) switchBackend(id string) (fnf.Backend, []string, error) {
	return backend.Switch(a.flags(), id, a.backendOptions(0))
}

// reproduce is the flags that choose backend b again, for a copied command
// line.
func (a *app) reproduce(b fnf.Backend) []string { return backend.Reproduce(a.flags(), b.Info()) }
