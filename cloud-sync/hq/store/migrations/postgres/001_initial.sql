-- HQ store, PostgreSQL. Same tables as the SQLite store; runs inside the configured schema.
CREATE TABLE grades (
  ingest_seq    BIGSERIAL PRIMARY KEY,
  id            TEXT NOT NULL UNIQUE,
  store_id      TEXT NOT NULL,
  device_id     TEXT NOT NULL,
  device_seq    BIGINT NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL,
  model_version TEXT NOT NULL,
  colour        TEXT NOT NULL,
  clarity       TEXT NOT NULL,
  cut           TEXT NOT NULL,
  carat         DOUBLE PRECISION NOT NULL,
  record_sha256 TEXT NOT NULL,
  record_json   JSONB NOT NULL,
  batch_id      TEXT NOT NULL,
  ingested_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX grades_by_device ON grades (store_id, device_id, device_seq);

CREATE TABLE devices (
  store_id            TEXT NOT NULL,
  device_id           TEXT NOT NULL,
  state               TEXT,
  status_at           TIMESTAMPTZ,
  backlog             INTEGER,
  oldest_unsent_age_s DOUBLE PRECISION,
  model_version       TEXT,
  status_reason       TEXT,
  last_batch_at       TIMESTAMPTZ,
  last_seq            BIGINT,
  grades_count        BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (store_id, device_id)
);
