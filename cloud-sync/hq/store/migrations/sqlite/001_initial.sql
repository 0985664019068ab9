-- HQ store, SQLite. Grades are immutable: one row per record id, first commit wins.
CREATE TABLE grades (
  ingest_seq    INTEGER PRIMARY KEY AUTOINCREMENT,  -- HQ's commit order
  id            TEXT NOT NULL UNIQUE,               -- the record's UUIDv7
  store_id      TEXT NOT NULL,
  device_id     TEXT NOT NULL,
  device_seq    INTEGER NOT NULL,                   -- the device's outbox order
  created_at    TEXT NOT NULL,
  model_version TEXT NOT NULL,
  colour        TEXT NOT NULL,
  clarity       TEXT NOT NULL,
  cut           TEXT NOT NULL,
  carat         REAL NOT NULL,
  record_sha256 TEXT NOT NULL,
  record_json   TEXT NOT NULL,
  batch_id      TEXT NOT NULL,
  ingested_at   TEXT NOT NULL
);
CREATE INDEX grades_by_device ON grades (store_id, device_id, device_seq);

CREATE TABLE devices (
  store_id            TEXT NOT NULL,
  device_id           TEXT NOT NULL,
  state               TEXT,                 -- online | offline, from the retained status
  status_at           TEXT,
  backlog             INTEGER,
  oldest_unsent_age_s REAL,
  model_version       TEXT,
  status_reason       TEXT,
  last_batch_at       TEXT,
  last_seq            INTEGER,
  grades_count        INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (store_id, device_id)
);
