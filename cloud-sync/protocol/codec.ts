/**
 * Decoding and encoding of every payload. Decoding never throws: a bad payload comes back as
 * a SyncError with a code and a reason, for the caller to log with its topic and drop.
 */
import { gradeRecordV1Schema, type GradeRecordV1 } from '../../device/grading/record.ts';
import { SyncError } from './errors.ts';
import { MAX_PAYLOAD_BYTES, payloadSchemas, type GradesBatchV1, type PayloadByKind, type RejectedRecord } from './payloads.ts';
import { parseTopic, type ParsedTopic, type TopicKind } from './topics.ts';
import type { z } from 'zod';

export type Decoded<K extends TopicKind> =
  | { ok: true; topic: ParsedTopic & { kind: K }; value: PayloadByKind[K] }
  | { ok: false; error: SyncError };

function describeIssues(error: z.ZodError, limit = 3): string {
  return error.issues
    .slice(0, limit)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/** Decodes a message that arrived on `topic`, expecting a payload of `kind`. */
export function decodeMessage<K extends TopicKind>(kind: K, topic: string, payload: Buffer | Uint8Array | string): Decoded<K> {
  const parsedTopic = parseTopic(topic);
  if (!parsedTopic || parsedTopic.kind !== kind) {
    return { ok: false, error: new SyncError('TOPIC_UNKNOWN', `expected a loupe/v1/<store>/<device>/${kind} topic`) };
  }
  const bytes = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
  if (bytes === 0) return { ok: false, error: new SyncError('PAYLOAD_EMPTY', 'the payload is empty') };
  if (bytes > MAX_PAYLOAD_BYTES[kind]) {
    return { ok: false, error: new SyncError('PAYLOAD_TOO_LARGE', `${bytes} bytes is over the ${MAX_PAYLOAD_BYTES[kind]}-byte limit for ${kind}`) };
  }
  let json: unknown;
  try {
    json = JSON.parse(typeof payload === 'string' ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'));
  } catch (error) {
    return { ok: false, error: new SyncError('PAYLOAD_NOT_JSON', `not JSON: ${(error as Error).message}`) };
  }
  const result = payloadSchemas[kind].safeParse(json);
  if (!result.success) return { ok: false, error: new SyncError('PAYLOAD_INVALID', describeIssues(result.error)) };
  const value = result.data as PayloadByKind[K] & { deviceId: string; storeId?: string };
  if (value.deviceId !== parsedTopic.deviceId || (value.storeId !== undefined && value.storeId !== parsedTopic.storeId)) {
    return {
      ok: false,
      error: new SyncError('TOPIC_MISMATCH', `payload names ${value.storeId ?? '?'}/${value.deviceId}, topic names ${parsedTopic.storeId}/${parsedTopic.deviceId}`),
    };
  }
  return { ok: true, topic: parsedTopic as ParsedTopic & { kind: K }, value };
}

/** Validates an outgoing payload against the same schema, then serialises it. */
export function encodePayload<K extends TopicKind>(kind: K, value: PayloadByKind[K]): Buffer {
  const result = payloadSchemas[kind].safeParse(value);
  if (!result.success) throw new SyncError('PAYLOAD_INVALID', `refusing to send an invalid ${kind} payload: ${describeIssues(result.error)}`);
  return Buffer.from(JSON.stringify(value));
}

export interface AcceptedRecord {
  seq: number;
  record: GradeRecordV1;
}

/** Splits a decoded batch into records that match §3 and name the batch's device, and the rest. */
export function splitBatchRecords(batch: GradesBatchV1): { accepted: AcceptedRecord[]; rejected: RejectedRecord[] } {
  const accepted: AcceptedRecord[] = [];
  const rejected: RejectedRecord[] = [];
  const seen = new Set<string>();
  batch.records.forEach((raw, i) => {
    const rawId = (raw as { id?: unknown } | null)?.id;
    const id = typeof rawId === 'string' && rawId.length > 0 && rawId.length <= 200 ? rawId : `seq:${batch.seqs[i]}`;
    const parsed = gradeRecordV1Schema.safeParse(raw);
    if (!parsed.success) {
      rejected.push({ id, code: 'RECORD_INVALID', reason: describeIssues(parsed.error) });
      return;
    }
    const record = parsed.data;
    if (record.deviceId !== batch.deviceId || record.storeId !== batch.storeId) {
      rejected.push({ id, code: 'RECORD_DEVICE_MISMATCH', reason: `record belongs to ${record.storeId}/${record.deviceId}, batch to ${batch.storeId}/${batch.deviceId}` });
      return;
    }
    if (seen.has(record.id)) return; // the same record twice in one batch commits once
    seen.add(record.id);
    accepted.push({ seq: batch.seqs[i], record });
  });
  return { accepted, rejected };
}
