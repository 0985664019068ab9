-- Grades are immutable once written: the record is signed, so no column may change.
CREATE TABLE grades (
  id            TEXT PRIMARY KEY,
  created_at    TEXT NOT NULL,
  day           TEXT NOT NULL,            -- YYYY-MM-DD (UTC) of created_at
  device_id     TEXT NOT NULL,
  model_version TEXT NOT NULL,
  colour        TEXT NOT NULL,
  clarity       TEXT NOT NULL,
  cut           TEXT NOT NULL,
  carat         REAL NOT NULL,
  frame_sha256  TEXT NOT NULL,
  record_json   TEXT NOT NULL
);
CREATE INDEX grades_by_day ON grades (day, created_at);
CREATE INDEX grades_by_time ON grades (created_at);

CREATE TRIGGER grades_are_immutable BEFORE UPDATE ON grades
BEGIN
  SELECT RAISE(ABORT, 'GRADE_IMMUTABLE: grade records cannot be changed');
END;
CREATE TRIGGER grades_are_kept BEFORE DELETE ON grades
BEGIN
  SELECT RAISE(ABORT, 'GRADE_IMMUTABLE: grade records cannot be deleted');
END;

-- The images of a grade: retention may drop them, never the grade itself.
CREATE TABLE grade_images (
  grade_id             TEXT PRIMARY KEY REFERENCES grades (id),
  thumbnail            BLOB,
  thumbnail_bytes      INTEGER NOT NULL,
  thumbnail_deleted_at TEXT,
  frame_path           TEXT,               -- relative to the data dir
  frame_bytes          INTEGER NOT NULL,
  frame_deleted_at     TEXT
);

CREATE TABLE outbox (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  record_id       TEXT UNIQUE NOT NULL REFERENCES grades (id),
  created_at      TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_attempt_at TEXT
);
