/**
 * One abstract test suite for every HQ store implementation (MQTT.js style): each store runs the
 * same cases against its real database.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HqStore } from '../../../cloud-sync/hq/store/types.ts';
import type { DeviceStatusV1 } from '../../../cloud-sync/protocol/index.ts';
import { makeRecord, testSigningKey } from './records.ts';

export interface StoreHarness {
  create(): Promise<HqStore>;
  /** Drops what create() made. */
  destroy(store: HqStore): Promise<void>;
}

const key = testSigningKey();
const dev = { storeId: 'store-a', deviceId: 'dev-1' };

function batchOf(n: number, from = 1, address = dev) {
  const base = Date.parse('2026-03-01T10:00:00.000Z');
  return Array.from({ length: n }, (_, i) => ({ seq: from + i, record: makeRecord({ ...address, key, i, createdAt: new Date(base + (from + i) * 1000) }) }));
}

function status(state: 'online' | 'offline', at: string, backlog: number | null): DeviceStatusV1 {
  return { schema: 'loupe.sync.status/v1', ...dev, state, at, backlog, oldestUnsentAgeS: backlog === null ? null : 12.5, modelVersion: backlog === null ? null : 'loupe-rb@1.0.0' };
}

export function describeHqStore(name: string, harness: StoreHarness): void {
  describe(`HQ store: ${name}`, () => {
    let store: HqStore;
    beforeEach(async () => {
      store = await harness.create();
      await store.open();
    });
    afterEach(async () => {
      await harness.destroy(store);
    });

    it('commits a batch and lists it in device order', async () => {
      const records = batchOf(5);
      const result = await store.commitBatch({ batchId: 'b1', ...dev, records, receivedAt: new Date().toISOString() });
      expect(result).toEqual({ committed: records.map((r) => r.record.id), rejected: [], inserted: 5, duplicates: 0 });
      const rows = await store.listGrades({ storeId: 'store-a' });
      expect(rows.map((r) => r.id)).toEqual(records.map((r) => r.record.id));
      expect(rows.map((r) => r.deviceSeq)).toEqual([1, 2, 3, 4, 5]);
      expect(rows[0].record).toEqual(records[0].record);
      expect(rows[0].colour).toBe(records[0].record.grades.colour.grade);
      expect(rows[0].createdAt).toBe(records[0].record.createdAt);
      expect(await store.countGrades({ storeId: 'store-a', deviceId: 'dev-1' })).toBe(5);
    });

    it('upserts by record id: a resent batch is committed again without duplicates', async () => {
      const records = batchOf(3);
      await store.commitBatch({ batchId: 'b1', ...dev, records, receivedAt: new Date().toISOString() });
      const again = await store.commitBatch({ batchId: 'b1', ...dev, records: [...records, ...batchOf(1, 4)], receivedAt: new Date().toISOString() });
      expect(again.committed).toHaveLength(4);
      expect(again.inserted).toBe(1);
      expect(again.duplicates).toBe(3);
      expect(await store.countGrades()).toBe(4);
      expect((await store.listDevices())[0].gradesCount).toBe(4);
    });

    it('keeps the first record when a different one arrives with the same id', async () => {
      const [first] = batchOf(1);
      await store.commitBatch({ batchId: 'b1', ...dev, records: [first], receivedAt: new Date().toISOString() });
      const forged = { seq: 1, record: { ...first.record, carat: { ...first.record.carat, value: 9.99 } } };
      const result = await store.commitBatch({ batchId: 'b2', ...dev, records: [forged], receivedAt: new Date().toISOString() });
      expect(result.committed).toEqual([]);
      expect(result.rejected).toEqual([expect.objectContaining({ id: first.record.id, code: 'RECORD_CONFLICT' })]);
      expect((await store.listGrades())[0].carat).toBe(first.record.carat.value);
    });

    it('keeps device order apart from commit order', async () => {
      const late = batchOf(2, 3);
      const early = batchOf(2, 1);
      await store.commitBatch({ batchId: 'b2', ...dev, records: late, receivedAt: new Date().toISOString() });
      await store.commitBatch({ batchId: 'b1', ...dev, records: early, receivedAt: new Date().toISOString() });
      expect((await store.listGrades({ order: 'device' })).map((r) => r.deviceSeq)).toEqual([1, 2, 3, 4]);
      expect((await store.listGrades({ order: 'ingest' })).map((r) => r.deviceSeq)).toEqual([3, 4, 1, 2]);
      expect((await store.listDevices())[0].lastSeq).toBe(4);
    });

    it('filters grades by store and device, and limits', async () => {
      await store.commitBatch({ batchId: 'b1', ...dev, records: batchOf(3), receivedAt: new Date().toISOString() });
      const other = { storeId: 'store-b', deviceId: 'dev-7' };
      await store.commitBatch({ batchId: 'b2', ...other, records: batchOf(2, 1, other), receivedAt: new Date().toISOString() });
      expect(await store.listGrades({ storeId: 'store-b' })).toHaveLength(2);
      expect(await store.listGrades({ storeId: 'store-a', deviceId: 'dev-7' })).toHaveLength(0);
      expect(await store.listGrades({ limit: 2 })).toHaveLength(2);
      expect((await store.listDevices()).map((d) => `${d.storeId}/${d.deviceId}`)).toEqual(['store-a/dev-1', 'store-b/dev-7']);
    });

    it('records device status, the latest arrival wins (a last will carries its connect time), and a will keeps the last backlog', async () => {
      await store.recordStatus(status('online', '2026-03-01T10:00:05.000Z', 42));
      let [d] = await store.listDevices();
      expect(d).toMatchObject({ state: 'online', backlog: 42, oldestUnsentAgeS: 12.5, modelVersion: 'loupe-rb@1.0.0', gradesCount: 0 });
      // The will was set when the connection opened, before that online status was sent.
      await store.recordStatus({ ...status('offline', '2026-03-01T10:00:01.000Z', null), reason: 'connection-lost' });
      [d] = await store.listDevices();
      expect(d).toMatchObject({ state: 'offline', backlog: 42, modelVersion: 'loupe-rb@1.0.0', statusReason: 'connection-lost' });
      expect(Date.parse(d.statusAt!)).toBe(Date.parse('2026-03-01T10:00:01.000Z'));
      await store.recordStatus(status('online', '2026-03-01T10:00:09Z', 3));
      [d] = await store.listDevices();
      expect(d).toMatchObject({ state: 'online', backlog: 3, statusReason: null });
      expect(await store.listDevices()).toHaveLength(1);
    });

    it('migrates once: reopening is harmless and the data stays', async () => {
      await store.commitBatch({ batchId: 'b1', ...dev, records: batchOf(2), receivedAt: new Date().toISOString() });
      await store.close();
      await store.open();
      expect(await store.countGrades()).toBe(2);
      expect(await store.integrityCheck()).toBe('ok');
    });

    it('keeps a registry of device keys: add once, revoke once, a revoked key stays revoked, filters by store and device', async () => {
      const other = testSigningKey();
      const entry = (address: typeof dev, k: typeof key, addedAt: string) => ({ ...address, keyId: k.keyId, publicKeyPem: k.publicKeyPem, addedAt });
      expect(await store.addDeviceKey(entry(dev, key, '2026-03-01T10:00:00.000Z'))).toBe('added');
      expect(await store.addDeviceKey(entry(dev, key, '2026-03-02T10:00:00.000Z'))).toBe('present');
      expect(await store.addDeviceKey(entry({ storeId: 'store-b', deviceId: 'dev-9' }, other, '2026-03-01T11:00:00.000Z'))).toBe('added');
      expect(await store.listDeviceKeys({ storeId: 'store-a', deviceId: 'dev-1' })).toEqual([
        { ...dev, keyId: key.keyId, publicKeyPem: key.publicKeyPem, addedAt: '2026-03-01T10:00:00.000Z', revokedAt: null },
      ]);
      expect((await store.listDeviceKeys()).map((k) => k.storeId)).toEqual(['store-a', 'store-b']);
      expect(await store.revokeDeviceKey({ ...dev, keyId: key.keyId }, '2026-03-05T09:30:00.000Z')).toBe(true);
      expect(await store.revokeDeviceKey({ ...dev, keyId: key.keyId }, '2026-03-06T09:30:00.000Z')).toBe(false);
      expect(await store.revokeDeviceKey({ ...dev, keyId: other.keyId }, '2026-03-06T09:30:00.000Z')).toBe(false);
      expect(await store.addDeviceKey(entry(dev, key, '2026-03-07T10:00:00.000Z'))).toBe('revoked');
      expect((await store.listDeviceKeys({ deviceId: 'dev-1' }))[0].revokedAt).toBe('2026-03-05T09:30:00.000Z');
      await store.close();
      await store.open();
      expect(await store.listDeviceKeys()).toHaveLength(2);
    });

    it("records each device's last release outcome, the latest arrival wins, and it survives a reopen", async () => {
      const report = (state: 'installed' | 'refused', release: string, at: string, code?: string) => ({
        schema: 'loupe.sync.release/v1' as const, ...dev, release, state, at, ...(code && { code, reason: `because ${code}` }),
      });
      await store.recordRelease(report('installed', 'loupe-rb@1.2.0', '2026-03-01T10:00:00.000Z'));
      expect((await store.listDevices())[0].release).toEqual({ release: 'loupe-rb@1.2.0', state: 'installed', code: null, reason: null, at: '2026-03-01T10:00:00.000Z' });
      await store.recordRelease(report('refused', 'loupe-rb@1.3.0', '2026-03-02T10:00:00.000Z', 'RELEASE_FILE_CORRUPT'));
      await store.close();
      await store.open();
      expect((await store.listDevices())[0].release).toEqual({ release: 'loupe-rb@1.3.0', state: 'refused', code: 'RELEASE_FILE_CORRUPT', reason: 'because RELEASE_FILE_CORRUPT', at: '2026-03-02T10:00:00.000Z' });
      expect((await store.listDevices())[0].gradesCount).toBe(0);
    });

    it('commits a 2,000-record batch in one go', async () => {
      const result = await store.commitBatch({ batchId: 'big', ...dev, records: batchOf(2000), receivedAt: new Date().toISOString() });
      expect(result.inserted).toBe(2000);
      expect(await store.countGrades()).toBe(2000);
    });
  });
}
