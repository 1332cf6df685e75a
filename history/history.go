// Package history is flowtui's local execution history: one row per run from
// the TUI or the command line, in a SQLite file (modernc.org/sqlite, no cgo)
// that the stock sqlite3 CLI can open. Lists read metadata only; bodies
// (input, output, trace) live in a table of their own and load when a run is
// opened. Inputs and outputs are full-text indexed (FTS5), values under
// secret-looking keys are masked before they are stored, and the history is
// capped in runs and bytes, oldest unpinned runs going first. One run stores
// at most a budget of bytes (DefaultMaxRunBytes, a quarter of the byte cap
// at most): what passes it is cut, saying so in what is kept, so that no
// single run can push the others out.
//
// Several processes (the TUI, `flowtui run`, `flowtui serve`) may write the
// same file at once: the database runs in WAL mode with a busy timeout, and
// every write transaction takes the write lock when it begins.
package history

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// Backends, as fnf.KindCloud and fnf.KindLocal name them.
const (
	BackendCloud = "cloud"
	BackendLocal = "local"
)

// Default caps, as README "History" states them (config history.max_runs,
// history.max_bytes).
const (
	DefaultMaxRuns  = 10_000
	DefaultMaxBytes = 500 << 20
	defaultLimit    = 100
)

// Run is one recorded execution. Times are stored to the millisecond, the
// latency to the microsecond.
type Run struct {
	ID            int64
	FlowName      string
	RequestedName string // execution name the user asked for ("" = generated)
	Name          string // execution name returned ("name:UUID")
	Backend       string // BackendCloud or BackendLocal
	Endpoint      string // never a secret
	Region        string
	Profile       string // the credential source's name, never a secret
	TestCase      string
	// Status is an execution status, or fnf.StatusError or
	// fnf.StatusCancelled for a call that produced no execution.
	Status       fnf.Status
	ErrorCode    string
	ErrorMessage string
	RequestID    string
	HTTPStatus   int
	StartedTime  time.Time // server times; zero when unknown
	StoppedTime  time.Time
	ClientStart  time.Time // when the client sent the call; Add fills in Now when zero
	Latency      time.Duration
	InputBytes   int // sizes as run, before redaction; Add fills them in when zero
	OutputBytes  int
	Pinned       bool
	// Mode is fnf.ModeStandard for a Standard execution (StartExecution),
	// "" for a synchronous run.
	Mode string

	// Bodies: filled by Get, Previous and Export, never by List.
	Input  string // JSON text, after redaction
	Output string // JSON text, after redaction
	Trace  string // JSON array of fnf.Step for local runs, "" otherwise
	Events string // JSON array of fnf.Event for Standard runs that ended, "" otherwise
}

// Duration is the server-side run time, StoppedTime − StartedTime; 0 when
// either is unknown (ServerDuration tells the two apart).
func (r Run) Duration() time.Duration {
	d, _ := r.ServerDuration()
	return d
}

// ServerDuration is the server-side run time (the engine's, for a local run)
// and whether it is known: a cloud call that failed or was stopped has no
// server times, only its round trip (Latency).
func (r Run) ServerDuration() (time.Duration, bool) {
	if r.StartedTime.IsZero() || r.StoppedTime.IsZero() {
		return 0, false
	}
	return r.StoppedTime.Sub(r.StartedTime), true
}

// Options configure a Store.
type Options struct {
	Path     string // database file
	MaxRuns  int    // cap on runs; DefaultMaxRuns when ≤ 0
	MaxBytes int64  // cap on the database's bytes; DefaultMaxBytes when ≤ 0
	// MaxRunBytes lowers the bound on the text one run stores (input,
	// output, trace): DefaultMaxRunBytes at most, and never more than a
	// quarter of MaxBytes. Past it the trace is cut, saying so in its last
	// step.
	MaxRunBytes int
	// Redact lists keys whose values are masked ("***") in stored inputs,
	// outputs and traces: matched whole, case-insensitively, at any depth, also
	// inside JSON documents carried as strings. The values found, and the
	// input they came in, are also masked wherever else they show in what is
	// stored (error messages above all), as they are, JSON-escaped or
	// URL-encoded once or twice; values under 4 bytes only inside the whole
	// input. nil means DefaultRedactKeys(); an empty non-nil slice masks nothing.
	Redact []string
	Now    func() time.Time // time.Now when nil
}

// DefaultRedactKeys returns the keys masked when Options.Redact is nil.
func DefaultRedactKeys() []string {
	return []string{
		"password", "passwd", "secret", "token", "accessKeySecret", "access_key_secret",
		"securityToken", "security_token", "authorization", "apiKey", "api_key",
		"privateKey", "private_key", "clientSecret", "client_secret",
	}
}

// Filter selects runs for List and Export. Zero fields select everything.
type Filter struct {
	Flow   string
	Status fnf.Status
	Since  time.Time // runs whose ClientStart is at or after
	// Search is full-text over input, output, error code and message: every
	// word must occur (a trailing * matches a prefix).
	Search   string
	Limit    int   // List: default 100; Export: 0 means all
	BeforeID int64 // pagination: only runs with ID < BeforeID
}

// ErrNotFound: no run has that ID (or no earlier run of the flow, for Previous).
var ErrNotFound = errors.New("run not found")

// TooNewError: the database was written by a newer flowtui. It is refused
// before anything is written to it.
type TooNewError struct {
	Path      string
	Version   int // the file's schema version
	Supported int // the newest this build knows
}

func (e *TooNewError) Error() string {
	return fmt.Sprintf("history %s: schema version %d is newer than this flowtui supports (version %d); "+
		"the file was left untouched: upgrade flowtui, or choose another file with --history", e.Path, e.Version, e.Supported)
}

// CorruptError: the file is not a SQLite database, is damaged, or belongs to
// another application. It is left untouched.
type CorruptError struct {
	Path string
	Err  error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("history %s: not a usable flowtui history: %v; the file was left untouched: "+
		"move it aside, or choose another file with --history", e.Path, e.Err)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// DefaultPath is $XDG_STATE_HOME/flowtui/history.db, else
// ~/.local/state/flowtui/history.db.
func DefaultPath() (string, error) {
	// The XDG spec says relative values are to be ignored.
	if dir := os.Getenv("XDG_STATE_HOME"); dir != "" && filepath.IsAbs(dir) {
		return filepath.Join(dir, "flowtui", "history.db"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("history: no default path: set XDG_STATE_HOME or HOME: %w", err)
	}
	return filepath.Join(home, ".local", "state", "flowtui", "history.db"), nil
}
