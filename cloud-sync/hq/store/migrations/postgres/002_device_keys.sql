-- The device signing keys HQ trusts (loupe hq keys add); as the SQLite store's 002.
CREATE TABLE device_keys (
  store_id       TEXT NOT NULL,
  device_id      TEXT NOT NULL,
  key_id         TEXT NOT NULL,
  public_key_pem TEXT NOT NULL,
  added_at       TIMESTAMPTZ NOT NULL,
  revoked_at     TIMESTAMPTZ,
  PRIMARY KEY (store_id, device_id, key_id)
);
