-- Each device's last model release outcome, from its retained release topic.
ALTER TABLE devices ADD COLUMN release TEXT;          -- name@version
ALTER TABLE devices ADD COLUMN release_state TEXT;    -- installed | refused
ALTER TABLE devices ADD COLUMN release_code TEXT;
ALTER TABLE devices ADD COLUMN release_reason TEXT;
ALTER TABLE devices ADD COLUMN release_at TEXT;
