/** The outbox of records waiting for HQ's ack (docs/INTERFACES.md §4). */
import type Database from 'better-sqlite3';
import { StoreError } from './errors.ts';
import type { GradeRecordV1 } from '../grading/record.ts';

export interface OutboxEntry {
  seq: number;
  recordId: string;
  createdAt: string;
  record: GradeRecordV1;
}

export interface Outbox {
  /** Oldest first, by seq. */
  peek(limit: number): OutboxEntry[];
  /** Deletes those rows; returns how many were removed (unknown ids are ignored). */
  acknowledge(recordIds: string[]): number;
  markAttempt(recordIds: string[]): void;
  backlog(): { count: number; oldestCreatedAt: string | null };
}

/** Also exposes attempts for diagnostics; the sync agent needs only `Outbox`. */
export interface OutboxRow extends OutboxEntry {
  attempts: number;
  lastAttemptAt: string | null;
}

export function createOutbox(db: Database.Database, clock: () => Date = () => new Date()): Outbox & { rows(limit: number): OutboxRow[] } {
  const peekStatement = db.prepare(
    `SELECT o.seq, o.record_id, o.created_at, o.attempts, o.last_attempt_at, g.record_json
       FROM outbox o JOIN grades g ON g.id = o.record_id
      ORDER BY o.seq LIMIT ?`,
  );
  const deleteStatement = db.prepare('DELETE FROM outbox WHERE record_id = ?');
  const attemptStatement = db.prepare('UPDATE outbox SET attempts = attempts + 1, last_attempt_at = ? WHERE record_id = ?');
  const backlogStatement = db.prepare('SELECT COUNT(*) AS count, MIN(created_at) AS oldest FROM outbox');

  const acknowledgeAll = db.transaction((ids: string[]) => ids.reduce((n, id) => n + deleteStatement.run(id).changes, 0));
  const attemptAll = db.transaction((ids: string[], at: string) => {
    for (const id of ids) attemptStatement.run(at, id);
  });

  function rows(limit: number): OutboxRow[] {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`outbox limit must be a whole number ≥ 0, got ${limit}`);
    const raw = peekStatement.all(limit) as Array<{ seq: number; record_id: string; created_at: string; attempts: number; last_attempt_at: string | null; record_json: string }>;
    return raw.map((row) => {
      let record: GradeRecordV1;
      try {
        record = JSON.parse(row.record_json) as GradeRecordV1;
      } catch (error) {
        throw new StoreError('STORE_RECORD_CORRUPT', `record ${row.record_id} in the store is not valid JSON`, { cause: error });
      }
      return { seq: row.seq, recordId: row.record_id, createdAt: row.created_at, record, attempts: row.attempts, lastAttemptAt: row.last_attempt_at };
    });
  }

  return {
    rows,
    peek: (limit) => rows(limit).map(({ seq, recordId, createdAt, record }) => ({ seq, recordId, createdAt, record })),
    acknowledge: (recordIds) => (recordIds.length === 0 ? 0 : acknowledgeAll([...new Set(recordIds)])),
    markAttempt: (recordIds) => {
      if (recordIds.length > 0) attemptAll([...new Set(recordIds)], clock().toISOString());
    },
    backlog: () => {
      const row = backlogStatement.get() as { count: number; oldest: string | null };
      return { count: row.count, oldestCreatedAt: row.oldest };
    },
  };
}
