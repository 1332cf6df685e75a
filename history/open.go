package history

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Store is an open history. Its methods are safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
	opts Options
	red  redactor
	// wmu serialises this process's writers: SQLite's busy handler waits by
	// sleeping, so letting our own connections contend would add latency.
	wmu   sync.Mutex
	stmts stmtCache
	// swept: runs larger than the byte cap were looked for (under wmu).
	swept bool
}

// Open opens the history at opts.Path, creating it (directory 0700, file
// 0600) when missing and migrating its schema forward. A file from a newer
// flowtui gives *TooNewError; a file that is not a usable history gives
// *CorruptError. Neither file is written to.
func Open(ctx context.Context, opts Options) (*Store, error) {
	if opts.Path == "" {
		return nil, errors.New("history: no database path given")
	}
	path, err := filepath.Abs(opts.Path)
	if err != nil {
		return nil, fmt.Errorf("history %s: %w", opts.Path, err)
	}
	if opts.MaxRuns <= 0 {
		opts.MaxRuns = DefaultMaxRuns
	}
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Redact == nil {
		opts.Redact = DefaultRedactKeys()
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("history %s: creating its directory: %w", path, err)
	}
	fresh, err := prepareFile(path)
	if err != nil {
		return nil, err
	}
	if fresh {
		// auto_vacuum can only be chosen before the first page is written,
		// and switching to WAL writes it: one connection sets it first.
		if err := bootstrap(ctx, path); err != nil {
			return nil, err
		}
	}
	db, err := sql.Open("sqlite", dsn(path, ""))
	if err != nil {
		return nil, fmt.Errorf("history %s: %w", path, err)
	}
	// WAL readers run beside the writer; a few connections are plenty.
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	if err := connect(ctx, path, db); err != nil {
		db.Close()
		return nil, err
	}
	s := &Store{db: db, path: path, opts: opts, red: newRedactor(opts.Redact)}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Path is the database file's absolute path.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error {
	if err := errors.Join(s.stmts.close(), s.db.Close()); err != nil {
		return fmt.Errorf("history %s: closing: %w", s.path, err)
	}
	return nil
}

// dsn is the driver's name for path. busy_timeout comes first so that even
// the switch to WAL waits for another process instead of failing with
// SQLITE_BUSY (the driver runs it first whatever the order); _txlock makes
// every transaction take the write lock when it begins, because a read
// transaction that later writes cannot wait for the lock and fails at once.
func dsn(path, extra string) string {
	q := "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" +
		"&_pragma=foreign_keys(1)&_txlock=immediate" + extra
	// The file: form escapes paths holding '?' or '#'.
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q}
	return u.String()
}

// bootstrap gives a new, empty database incremental auto-vacuum, so that
// Prune can hand freed pages back to the file system.
func bootstrap(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", dsn(path, "&_auto_vacuum=INCREMENTAL"))
	if err != nil {
		return fmt.Errorf("history %s: %w", path, err)
	}
	defer db.Close()
	return connect(ctx, path, db)
}

// connect opens db's first connection. While a new file is still in
// rollback-journal mode, switching it to WAL needs an exclusive lock that
// SQLite takes without calling the busy handler, so a second process
// opening the file at the same moment gets SQLITE_BUSY at once: wait and
// retry for as long as busy_timeout would have waited. Once the file is in
// WAL mode the busy handler covers everything.
func connect(ctx context.Context, path string, db *sql.DB) error {
	const budget = 5 * time.Second
	wait := time.Millisecond
	for waited := time.Duration(0); ; waited += wait {
		err := db.PingContext(ctx)
		var se *sqlite.Error
		if err == nil || !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY || waited >= budget {
			if err != nil {
				return wrapErr(path, "opening", err)
			}
			return nil
		}
		wait = min(2*wait, 50*time.Millisecond)
		select {
		case <-ctx.Done():
			return fmt.Errorf("history %s: opening: %w", path, ctx.Err())
		case <-time.After(wait):
		}
	}
}

// migrate checks the schema version and brings it up to schemaVersion. It
// reads before it writes, so a newer or foreign file is refused untouched.
func (s *Store) migrate(ctx context.Context) error {
	version, appID, tables, err := s.schemaState(ctx, s.db)
	if err != nil {
		return err
	}
	if err := s.checkState(version, appID, tables); err != nil || version == schemaVersion {
		return err
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return wrapErr(s.path, "migrating", err)
	}
	defer tx.Rollback()
	// Another process may have migrated while we waited for the lock.
	if version, appID, tables, err = s.schemaState(ctx, tx); err != nil {
		return err
	}
	if err := s.checkState(version, appID, tables); err != nil || version == schemaVersion {
		return err
	}
	for v := version; v < schemaVersion; v++ {
		if _, err := tx.ExecContext(ctx, migration(v)); err != nil {
			return wrapErr(s.path, fmt.Sprintf("migrating schema version %d to %d", v, v+1), err)
		}
	}
	// PRAGMA takes no bound parameters; both values are constants.
	set := fmt.Sprintf("PRAGMA user_version = %d; PRAGMA application_id = %d", schemaVersion, applicationID)
	if _, err := tx.ExecContext(ctx, set); err != nil {
		return wrapErr(s.path, "migrating", err)
	}
	if err := tx.Commit(); err != nil {
		return wrapErr(s.path, "migrating", err)
	}
	return nil
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Store) schemaState(ctx context.Context, q querier) (version, appID, tables int, err error) {
	row := q.QueryRowContext(ctx, `SELECT (SELECT user_version FROM pragma_user_version),
		(SELECT application_id FROM pragma_application_id), (SELECT count(*) FROM sqlite_schema)`)
	if err := row.Scan(&version, &appID, &tables); err != nil {
		return 0, 0, 0, wrapErr(s.path, "reading the schema version", err)
	}
	return version, appID, tables, nil
}

func (s *Store) checkState(version, appID, tables int) error {
	if appID != applicationID && (appID != 0 || version != 0 || tables != 0) {
		return &CorruptError{Path: s.path, Err: fmt.Errorf(
			"a SQLite database of another application (application_id %#x, user_version %d, %d schema objects)",
			appID, version, tables)}
	}
	if version > schemaVersion {
		return &TooNewError{Path: s.path, Version: version, Supported: schemaVersion}
	}
	return nil
}

// wrapErr adds the path and the operation to err, and turns SQLite's
// "not a database" and "malformed" into *CorruptError, and a full disk into
// *DiskFullError.
func wrapErr(path, op string, err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return &CorruptError{Path: path, Err: fmt.Errorf("%s: %w", op, err)}
		}
		if diskFull(se.Code(), func() (uint64, bool) { return freeBytes(path) }) {
			return &DiskFullError{Path: path, Op: op, Err: err}
		}
	}
	var ce *CorruptError
	var te *TooNewError
	var df *DiskFullError
	if errors.As(err, &ce) || errors.As(err, &te) || errors.As(err, &df) || errors.Is(err, ErrNotFound) {
		return err
	}
	return fmt.Errorf("history %s: %s: %w", path, op, err)
}
