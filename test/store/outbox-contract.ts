/**
 * The Outbox contract (docs/INTERFACES.md §4) as a shared suite: any implementation runs it.
 * `setup` returns an outbox plus a way to enqueue a record the way the store would.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Outbox } from '../../device/store/outbox.ts';
import type { GradeRecordV1 } from '../../device/grading/record.ts';
import { makeRecord } from './fixtures.ts';

export interface OutboxHarness {
  outbox: Outbox;
  enqueue(record: GradeRecordV1): void;
  reopen?(): Outbox;
  teardown(): void;
}

export function describeOutboxContract(name: string, setup: () => OutboxHarness): void {
  describe(`Outbox contract: ${name}`, () => {
    let h: OutboxHarness;
    beforeEach(() => {
      h = setup();
    });
    afterEach(() => h.teardown());

    it('starts empty', () => {
      expect(h.outbox.peek(10)).toEqual([]);
      expect(h.outbox.backlog()).toEqual({ count: 0, oldestCreatedAt: null });
    });

    it('peeks oldest first by seq, with the full record, and honours the limit', () => {
      const records = [0, 1, 2, 3].map((i) => makeRecord({ createdAt: new Date(Date.UTC(2025, 0, 1, 10, 0, i)) }));
      for (const r of records) h.enqueue(r);
      const all = h.outbox.peek(10);
      expect(all.map((e) => e.recordId)).toEqual(records.map((r) => r.id));
      expect(all[0].record).toEqual(records[0]);
      expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => a - b));
      expect(new Set(all.map((e) => e.seq)).size).toBe(4);
      expect(h.outbox.peek(2).map((e) => e.recordId)).toEqual(records.slice(0, 2).map((r) => r.id));
      expect(h.outbox.peek(0)).toEqual([]);
      expect(h.outbox.backlog()).toEqual({ count: 4, oldestCreatedAt: records[0].createdAt });
    });

    it('acknowledge removes only the named rows and counts them; repeats and unknown ids count zero', () => {
      const records = [0, 1, 2].map((i) => makeRecord({ createdAt: new Date(Date.UTC(2025, 0, 2, 10, 0, i)) }));
      for (const r of records) h.enqueue(r);
      expect(h.outbox.acknowledge([records[0].id, records[2].id, records[0].id])).toBe(2);
      expect(h.outbox.acknowledge([records[0].id, 'no-such-id'])).toBe(0);
      expect(h.outbox.acknowledge([])).toBe(0);
      expect(h.outbox.peek(10).map((e) => e.recordId)).toEqual([records[1].id]);
      expect(h.outbox.backlog()).toEqual({ count: 1, oldestCreatedAt: records[1].createdAt });
    });

    it('markAttempt leaves rows in place and in order', () => {
      const records = [0, 1].map((i) => makeRecord({ createdAt: new Date(Date.UTC(2025, 0, 3, 10, 0, i)) }));
      for (const r of records) h.enqueue(r);
      h.outbox.markAttempt([records[1].id]);
      h.outbox.markAttempt([records[1].id, 'unknown']);
      expect(h.outbox.peek(10).map((e) => e.recordId)).toEqual(records.map((r) => r.id));
      expect(h.outbox.backlog().count).toBe(2);
    });

    it('keeps rows across a reopen (nothing is lost)', () => {
      if (!h.reopen) return;
      const record = makeRecord();
      h.enqueue(record);
      const again = h.reopen();
      expect(again.peek(10).map((e) => e.recordId)).toEqual([record.id]);
    });
  });
}
