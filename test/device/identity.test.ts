import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateIdentity } from '../../provisioning/identity.ts';
import { signRecord, verifyRecord } from '../../device/grading/signature.ts';
import { makeRecord } from '../store/fixtures.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'loupe-id-'));
  dirs.push(d);
  return d;
};

describe('device identity', () => {
  it('is created on first start, private key 0600, and the same on the next start', () => {
    const dir = fresh();
    const first = loadOrCreateIdentity(dir, { storeId: 'store-42' });
    expect(first.created).toBe(true);
    expect(first.storeId).toBe('store-42');
    expect(first.deviceId).toBe(`loupe-${first.keyId.slice(0, 12)}`);
    expect(statSync(join(dir, 'identity/device-key.pem')).mode & 0o777).toBe(0o600);
    const second = loadOrCreateIdentity(dir, { storeId: 'ignored-now' });
    expect(second.created).toBe(false);
    expect(second).toMatchObject({ deviceId: first.deviceId, storeId: 'store-42', keyId: first.keyId });
  });

  it('signs records that verify with its public key', () => {
    const id = loadOrCreateIdentity(fresh());
    const { signature: _, ...unsigned } = makeRecord();
    const record = signRecord(unsigned, { keyId: id.keyId, privateKey: id.privateKey });
    expect(verifyRecord(record, id.publicKeyPem, id.keyId)).toEqual({ ok: true });
  });

  it('refuses a key that does not match the identity file, and a malformed file', () => {
    const dir = fresh();
    loadOrCreateIdentity(dir);
    const keyPath = join(dir, 'identity/device-key.pem');
    const original = readFileSync(keyPath, 'utf8');
    writeFileSync(keyPath, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    expect(() => loadOrCreateIdentity(dir)).toThrow(expect.objectContaining({ code: 'IDENTITY_KEY_MISMATCH' }));
    writeFileSync(keyPath, original);
    const idPath = join(dir, 'identity/device.json');
    writeFileSync(idPath, JSON.stringify({ ...JSON.parse(readFileSync(idPath, 'utf8')), deviceId: 'has spaces' }));
    expect(() => loadOrCreateIdentity(dir)).toThrow(expect.objectContaining({ code: 'IDENTITY_INVALID', message: expect.stringContaining('deviceId') }));
    writeFileSync(idPath, '{');
    expect(() => loadOrCreateIdentity(dir)).toThrow(expect.objectContaining({ code: 'IDENTITY_UNREADABLE' }));
  });
});
