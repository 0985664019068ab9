-- The device signing keys HQ trusts (loupe hq keys add). A record is committed only if it
-- verifies against an active key of its own store and device. A revoked key stays listed, so
-- records signed with it are refused with that reason rather than as "unknown".
CREATE TABLE device_keys (
  store_id       TEXT NOT NULL,
  device_id      TEXT NOT NULL,
  key_id         TEXT NOT NULL,  -- first 16 hex digits of sha256 over the SPKI DER (provisioning/identity.ts)
  public_key_pem TEXT NOT NULL,
  added_at       TEXT NOT NULL,
  revoked_at     TEXT,
  PRIMARY KEY (store_id, device_id, key_id)
);
