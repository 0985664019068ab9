/** HQ's signature check and the device-key parser, as pure functions on real ed25519 keys. */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deviceKeyFromIdentity } from '../../cloud-sync/hq/device-keys.ts';
import { checkSignatures, PublicKeyCache } from '../../cloud-sync/hq/signatures.ts';
import type { DeviceKey } from '../../cloud-sync/hq/store/types.ts';
import { SyncError } from '../../cloud-sync/protocol/errors.ts';
import { IDENTITY_DIR, IDENTITY_FILE, loadOrCreateIdentity } from '../../provisioning/identity.ts';
import { makeRecord, testSigningKey, type TestSigningKey } from './helpers/records.ts';

const dev = { storeId: 'store-s', deviceId: 'dev-s' };
const key = testSigningKey();
const registered = (k: TestSigningKey, address = dev, revokedAt: string | null = null): DeviceKey => ({ ...address, keyId: k.keyId, publicKeyPem: k.publicKeyPem, addedAt: '2026-01-01T00:00:00.000Z', revokedAt });
const entry = (record: ReturnType<typeof makeRecord>, seq = 1) => ({ seq, record });

describe('checkSignatures', () => {
  const cache = new PublicKeyCache();

  it('passes records the registered key signed, untouched and in order', () => {
    const records = [1, 2, 3].map((i) => entry(makeRecord({ ...dev, key, i }), i));
    const { verified, rejected } = checkSignatures(records, [registered(key)], cache);
    expect(rejected).toEqual([]);
    expect(verified).toEqual(records);
  });

  it.each([
    ['a changed grade', (r: ReturnType<typeof makeRecord>) => ({ ...r, grades: { ...r.grades, colour: { ...r.grades.colour, grade: 'D' === r.grades.colour.grade ? 'E' : 'D' } } })],
    ['a changed carat', (r: ReturnType<typeof makeRecord>) => ({ ...r, carat: { ...r.carat, value: r.carat.value + 0.01 } })],
    ['a signature of another record', (r: ReturnType<typeof makeRecord>) => ({ ...r, signature: makeRecord({ ...dev, key, i: 9 }).signature })],
    ['a signature that is not base64 of 64 bytes', (r: ReturnType<typeof makeRecord>) => ({ ...r, signature: { ...r.signature, value: 'bm90IGEgc2lnbmF0dXJl' } })],
  ])('refuses %s as SIGNATURE_INVALID', (_, alter) => {
    const record = alter(makeRecord({ ...dev, key, i: 1 }));
    const { verified, rejected } = checkSignatures([entry(record)], [registered(key)], cache);
    expect(verified).toEqual([]);
    expect(rejected).toEqual([{ id: record.id, code: 'SIGNATURE_INVALID', reason: expect.stringMatching(/changed after signing/) }]);
  });

  it('refuses a key HQ does not hold, and a key registered for another device, as SIGNATURE_KEY_UNKNOWN', () => {
    const stranger = testSigningKey();
    const byStranger = makeRecord({ ...dev, key: stranger });
    const byNeighboursKey = makeRecord({ ...dev, key: stranger, i: 2 });
    const { rejected } = checkSignatures([entry(byStranger), entry(byNeighboursKey, 2)], [registered(key), registered(stranger, { storeId: 'store-s', deviceId: 'dev-other' })], cache);
    expect(rejected.map((r) => r.code)).toEqual(['SIGNATURE_KEY_UNKNOWN', 'SIGNATURE_KEY_UNKNOWN']);
    expect(rejected[0].reason).toContain(`key ${stranger.keyId}`);
    expect(rejected[0].reason).toContain('loupe hq keys add');
  });

  it('refuses every record of a revoked key, whatever its createdAt claims', () => {
    const old = makeRecord({ ...dev, key, createdAt: new Date('2025-06-01T00:00:00Z') });
    const { verified, rejected } = checkSignatures([entry(old)], [registered(key, dev, '2026-02-01T00:00:00.000Z')], cache);
    expect(verified).toEqual([]);
    expect(rejected).toEqual([{ id: old.id, code: 'SIGNATURE_KEY_REVOKED', reason: expect.stringContaining('revoked at 2026-02-01T00:00:00.000Z') }]);
  });
});

describe('deviceKeyFromIdentity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-keys-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const identity = loadOrCreateIdentity(dir, { deviceId: 'counter-3', storeId: 'store-soho' });
  const file = JSON.parse(readFileSync(join(dir, IDENTITY_DIR, IDENTITY_FILE), 'utf8'));

  it("reads a device's identity file and derives the keyId from the key", () => {
    expect(deviceKeyFromIdentity(file, 'device.json', '2026-04-01T00:00:00.000Z')).toEqual({
      storeId: 'store-soho',
      deviceId: 'counter-3',
      keyId: identity.keyId,
      publicKeyPem: identity.publicKeyPem,
      addedAt: '2026-04-01T00:00:00.000Z',
    });
  });

  const rsaPem = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
  it.each([
    ['a keyId that is not its key’s', { ...file, keyId: '0123456789abcdef' }, /keyId 0123456789abcdef does not belong to its publicKeyPem/],
    ['a key that is not ed25519', { ...file, publicKeyPem: rsaPem }, /not a usable ed25519 public key \(a rsa key/],
    ['a broken PEM', { ...file, publicKeyPem: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n' }, /not a usable ed25519 public key/],
    ['no deviceId', { ...file, deviceId: undefined }, /not a device identity file \(deviceId:/],
    ['something else entirely', { keys: [] }, /not a device identity file/],
  ])('refuses %s with DEVICE_KEY_INVALID and the reason', (_, json, reason) => {
    let error: unknown;
    try {
      deviceKeyFromIdentity(json, 'device.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SyncError);
    expect((error as SyncError).code).toBe('DEVICE_KEY_INVALID');
    expect((error as SyncError).message).toMatch(reason);
  });
});
