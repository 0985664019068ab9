import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../cloud-sync/transport/backoff.ts';
import { encodeBatch, planBatch } from '../../cloud-sync/agent/batch-builder.ts';
import { InFlightWindow, ackDeadline } from '../../cloud-sync/agent/in-flight.ts';
import { decodeMessage, deviceTopic } from '../../cloud-sync/protocol/index.ts';
import type { OutboxEntry } from '../../device/store/outbox.ts';
import { makeRecord, testSigningKey } from './helpers/records.ts';

const address = { storeId: 's1', deviceId: 'd1' };
const key = testSigningKey();
const entries: OutboxEntry[] = Array.from({ length: 10 }, (_, i) => {
  const record = makeRecord({ ...address, key, i });
  return { seq: i + 10, recordId: record.id, createdAt: record.createdAt, record };
});

describe('backoffDelay', () => {
  const policy = { baseMs: 100, maxMs: 5000, minMs: 10 };
  it('grows exponentially up to the cap, with full jitter', () => {
    expect(backoffDelay(0, policy, () => 1)).toBe(100);
    expect(backoffDelay(3, policy, () => 1)).toBe(800);
    expect(backoffDelay(20, policy, () => 1)).toBe(5000);
    expect(backoffDelay(3, policy, () => 0)).toBe(10);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(405);
  });
  it('spreads a fleet: many draws are not all alike', () => {
    const draws = new Set(Array.from({ length: 50 }, () => backoffDelay(5, policy)));
    expect(draws.size).toBeGreaterThan(10);
  });
});

describe('planBatch', () => {
  it('is bounded by count', () => {
    const b = planBatch(entries, { maxRecords: 4, maxBytes: 1 << 20 })!;
    expect(b.seqs).toEqual([10, 11, 12, 13]);
    expect(b.recordIds).toEqual(entries.slice(0, 4).map((e) => e.recordId));
  });
  it('is bounded by bytes, but always takes one record', () => {
    const one = JSON.stringify(entries[0].record).length;
    const b = planBatch(entries, { maxRecords: 100, maxBytes: 512 + 2 * (one + 12) + 5 })!;
    expect(b.seqs).toHaveLength(2);
    expect(planBatch(entries, { maxRecords: 100, maxBytes: 10 })!.seqs).toHaveLength(1);
    expect(planBatch([], { maxRecords: 1, maxBytes: 10 })).toBeUndefined();
  });
  it('encodes to a batch the protocol decodes, records intact', () => {
    const b = planBatch(entries, { maxRecords: 3, maxBytes: 1 << 20 }, () => '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')!;
    const payload = encodeBatch({ batchId: b.batchId, ...address, sentAt: new Date().toISOString(), attempt: 2, seqs: b.seqs }, b.recordJson);
    const decoded = decodeMessage('grades', deviceTopic('grades', address), payload);
    expect(decoded.ok).toBe(true);
    if (decoded.ok) {
      expect(decoded.value.records).toEqual(entries.slice(0, 3).map((e) => e.record));
      expect(decoded.value.attempt).toBe(2);
      expect(decoded.value.seqs).toEqual([10, 11, 12]);
    }
    expect(payload.length).toBeLessThanOrEqual(b.bytes);
  });
  it('refuses to encode an envelope the protocol would refuse', () => {
    expect(() => encodeBatch({ batchId: 'nope', ...address, sentAt: 'now', attempt: 1, seqs: [1] }, ['{}'])).toThrow(/invalid grades payload/);
  });
});

describe('InFlightWindow', () => {
  it('tracks batches and their record ids, and finds the overdue ones oldest first', () => {
    const w = new InFlightWindow();
    const a = planBatch(entries.slice(0, 2), { maxRecords: 5, maxBytes: 1 << 20 })!;
    const b = planBatch(entries.slice(2, 4), { maxRecords: 5, maxBytes: 1 << 20 })!;
    w.add(b, 0, 50);
    w.add(a, 0, 100);
    expect(w.size).toBe(2);
    expect(w.recordCount).toBe(4);
    expect(w.has(entries[0].recordId)).toBe(true);
    expect(w.due(60).map((x) => x.batchId)).toEqual([b.batchId]);
    expect(w.due(200).map((x) => x.batchId)).toEqual([a.batchId, b.batchId]);
    w.remove(a.batchId);
    expect(w.has(entries[0].recordId)).toBe(false);
    expect(w.remove('unknown')).toBeUndefined();
  });
  it('waits longer for each resend, at most 8× the ack timeout', () => {
    expect(ackDeadline(1000, 100, 1)).toBe(1100);
    expect(ackDeadline(1000, 100, 2)).toBe(1200);
    expect(ackDeadline(1000, 100, 9)).toBe(1800);
  });
});
