/**
 * Pure batch assembly: which outbox entries go into the next batch (bounded by count and by
 * bytes), and the batch's wire bytes. Each record is serialised once; the envelope is checked
 * against the protocol schema like every outgoing payload.
 */
import { randomUUID } from 'node:crypto';
import { encodePayload, type GradesBatchV1 } from '../protocol/index.ts';
import type { OutboxEntry } from '../../device/store/outbox.ts';

export interface BatchLimits {
  maxRecords: number;
  maxBytes: number;
}

export interface PlannedBatch {
  batchId: string;
  seqs: number[];
  recordIds: string[];
  /** The JSON of each record, in seq order. */
  recordJson: string[];
  bytes: number;
}

/** Room for the envelope around the records. */
const ENVELOPE_BYTES = 512;

/**
 * Takes entries in order until either limit is hit; always takes at least one, so a single
 * oversized record still travels alone rather than blocking the outbox.
 */
export function planBatch(entries: readonly OutboxEntry[], limits: BatchLimits, newId: () => string = randomUUID): PlannedBatch | undefined {
  if (entries.length === 0) return undefined;
  const seqs: number[] = [];
  const recordIds: string[] = [];
  const recordJson: string[] = [];
  let bytes = ENVELOPE_BYTES;
  for (const entry of entries) {
    if (seqs.length >= limits.maxRecords) break;
    const json = JSON.stringify(entry.record);
    const size = Buffer.byteLength(json) + 12; // the record, a comma, and its seq
    if (seqs.length > 0 && bytes + size > limits.maxBytes) break;
    seqs.push(entry.seq);
    recordIds.push(entry.recordId);
    recordJson.push(json);
    bytes += size;
  }
  return { batchId: newId(), seqs, recordIds, recordJson, bytes };
}

export interface BatchEnvelope {
  batchId: string;
  deviceId: string;
  storeId: string;
  sentAt: string;
  attempt: number;
  seqs: number[];
}

/**
 * The wire bytes of a grades batch. The envelope is validated with the protocol schema (with
 * the records as parsed JSON would be); the records are spliced in from their JSON so the
 * large part is not serialised twice.
 */
export function encodeBatch(envelope: BatchEnvelope, recordJson: readonly string[]): Buffer {
  const placeholder: GradesBatchV1 = { schema: 'loupe.sync.grades/v1', ...envelope, records: recordJson.map(() => 0) };
  encodePayload('grades', placeholder); // throws a SyncError on an invalid envelope
  const head = JSON.stringify({ schema: 'loupe.sync.grades/v1', ...envelope, records: [] });
  // `records` is the last key, so the serialised envelope ends in `[]}`.
  return Buffer.from(`${head.slice(0, -2)}${recordJson.join(',')}]}`);
}
