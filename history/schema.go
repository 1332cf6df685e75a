package history

// applicationID marks the file as a flowtui history ("fltu") in the SQLite
// header, so that another application's database is told apart from ours
// before anything is written to it.
const applicationID = 0x666c7475

// schemaVersion is the newest PRAGMA user_version this build understands.
const schemaVersion = 2

// migration returns the SQL that takes a database from user_version from to
// from+1. Migrations run in one write transaction on open, so a crash leaves
// the old version intact. Only
// stock SQLite features are used (no custom functions or collations) so that
// the sqlite3 CLI can read and even edit the file: the triggers keep the
// full-text index and the counters right whatever deletes the rows.
func migration(from int) string {
	switch from {
	case 0:
		return schemaV1
	case 1:
		return schemaV2
	}
	return ""
}

const schemaV1 = `
CREATE TABLE runs (
  id              INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: views hold run ids
  flow_name       TEXT    NOT NULL,
  requested_name  TEXT    NOT NULL DEFAULT '',
  name            TEXT    NOT NULL DEFAULT '',
  backend         TEXT    NOT NULL DEFAULT '',
  endpoint        TEXT    NOT NULL DEFAULT '',
  region          TEXT    NOT NULL DEFAULT '',
  profile         TEXT    NOT NULL DEFAULT '',
  test_case       TEXT    NOT NULL DEFAULT '',
  status          TEXT    NOT NULL,
  error_code      TEXT    NOT NULL DEFAULT '',
  error_message   TEXT    NOT NULL DEFAULT '',
  request_id      TEXT    NOT NULL DEFAULT '',
  http_status     INTEGER NOT NULL DEFAULT 0,
  started_ms      INTEGER,           -- server StartedTime, Unix ms; NULL when unknown
  stopped_ms      INTEGER,           -- server StoppedTime, Unix ms; NULL when unknown
  client_start_ms INTEGER NOT NULL,  -- Unix ms
  latency_us      INTEGER NOT NULL DEFAULT 0,
  input_bytes     INTEGER NOT NULL DEFAULT 0,
  output_bytes    INTEGER NOT NULL DEFAULT 0,
  stored_bytes    INTEGER NOT NULL DEFAULT 0, -- text stored for this run, to size prunes
  pinned          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_flow ON runs(flow_name, id);
CREATE INDEX runs_status ON runs(status, id);
CREATE INDEX runs_prunable ON runs(id) WHERE pinned = 0;

-- Bodies apart, so that lists never page them in. errors repeats the error
-- code and message so that one external-content index covers all four.
CREATE TABLE run_bodies (
  run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  input  TEXT NOT NULL DEFAULT '',
  output TEXT NOT NULL DEFAULT '',
  errors TEXT NOT NULL DEFAULT '',
  trace  TEXT NOT NULL DEFAULT ''
);
CREATE VIRTUAL TABLE runs_fts USING fts5(input, output, errors, content='run_bodies', content_rowid='run_id', columnsize=0);
-- Every Add writes a small index segment that merges then fold into larger
-- ones. Merging 16 segments at a time instead of 4 rewrites each page fewer
-- times: at 100k runs it halves an insert's index work, and searches, which
-- visit more segments, stay far inside their budget. (Stock FTS5 settings,
-- kept in runs_fts_config.)
INSERT INTO runs_fts(runs_fts, rank) VALUES ('automerge', 16);
INSERT INTO runs_fts(runs_fts, rank) VALUES ('crisismerge', 64);

-- Counting 100k rows per insert would blow the insert budget; keep counts here.
CREATE TABLE stats (
  one   INTEGER PRIMARY KEY CHECK (one = 1),
  runs  INTEGER NOT NULL,
  bytes INTEGER NOT NULL
);
INSERT INTO stats VALUES (1, 0, 0);

CREATE TRIGGER runs_ai AFTER INSERT ON runs BEGIN
  UPDATE stats SET runs = runs + 1, bytes = bytes + new.stored_bytes;
END;
-- Also without foreign_keys (the sqlite3 CLI's default) bodies go with their run.
CREATE TRIGGER runs_ad AFTER DELETE ON runs BEGIN
  DELETE FROM run_bodies WHERE run_id = old.id;
  UPDATE stats SET runs = runs - 1, bytes = bytes - old.stored_bytes;
END;
CREATE TRIGGER run_bodies_ai AFTER INSERT ON run_bodies BEGIN
  INSERT INTO runs_fts(rowid, input, output, errors) VALUES (new.run_id, new.input, new.output, new.errors);
END;
CREATE TRIGGER run_bodies_ad AFTER DELETE ON run_bodies BEGIN
  INSERT INTO runs_fts(runs_fts, rowid, input, output, errors) VALUES ('delete', old.run_id, old.input, old.output, old.errors);
END;
CREATE TRIGGER run_bodies_au AFTER UPDATE ON run_bodies BEGIN
  INSERT INTO runs_fts(runs_fts, rowid, input, output, errors) VALUES ('delete', old.run_id, old.input, old.output, old.errors);
  INSERT INTO runs_fts(rowid, input, output, errors) VALUES (new.run_id, new.input, new.output, new.errors);
END;
`

// schemaV2 brings Standard executions: a run's mode (Standard; "" for a
// synchronous run), its event history beside the other bodies, a trigger
// that keeps the byte count right when a run's row is rewritten as its
// execution ends (Update), and an index to find the runs still Running.
// ADD COLUMN with a constant default rewrites no existing row.
const schemaV2 = `
ALTER TABLE runs ADD COLUMN mode TEXT NOT NULL DEFAULT '';
ALTER TABLE run_bodies ADD COLUMN events TEXT NOT NULL DEFAULT '';
CREATE INDEX runs_running ON runs(flow_name, name) WHERE status = 'Running';
CREATE TRIGGER runs_au_bytes AFTER UPDATE OF stored_bytes ON runs BEGIN
  UPDATE stats SET bytes = bytes - old.stored_bytes + new.stored_bytes;
END;
`
