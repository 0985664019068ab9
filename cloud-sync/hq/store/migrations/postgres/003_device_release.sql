-- Each device's last model release outcome; as the SQLite store's 003.
ALTER TABLE devices ADD COLUMN release TEXT;
ALTER TABLE devices ADD COLUMN release_state TEXT;
ALTER TABLE devices ADD COLUMN release_code TEXT;
ALTER TABLE devices ADD COLUMN release_reason TEXT;
ALTER TABLE devices ADD COLUMN release_at TIMESTAMPTZ;
