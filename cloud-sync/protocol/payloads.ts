/**
 * Every payload schema of the sync protocol (zod), version 1. A payload names its own schema
 * in `schema`; a v2 is a new schema beside these, decoded by the same topic, never a change
 * to a v1 shape.
 */
import { z } from 'zod';
import { isValidSegment, type TopicKind } from './topics.ts';

export const MAX_BATCH_RECORDS = 5_000;
/** Size limits checked before JSON.parse, so a huge payload costs nothing but a log line. */
export const MAX_PAYLOAD_BYTES = {
  grades: 16 * 1024 * 1024,
  ack: 4 * 1024 * 1024,
  status: 16 * 1024,
  release: 16 * 1024,
} as const;

const segment = z.string().refine(isValidSegment, 'expected a topic-safe id (1–64 of A-Z a-z 0-9 . _ -)');
const batchId = z.uuid();
const isoTime = z.iso.datetime();

/**
 * Device → HQ. `records` are validated one by one against the grade record schema
 * (docs/INTERFACES.md §3) so one bad record is rejected alone; `seqs[i]` is the device's outbox
 * sequence number of `records[i]`, strictly increasing: HQ keeps it as the per-device order.
 */
export const gradesBatchV1Schema = z
  .object({
    schema: z.literal('loupe.sync.grades/v1'),
    batchId,
    deviceId: segment,
    storeId: segment,
    sentAt: isoTime,
    attempt: z.number().int().min(1),
    seqs: z.array(z.number().int().positive()).min(1).max(MAX_BATCH_RECORDS),
    records: z.array(z.unknown()).min(1).max(MAX_BATCH_RECORDS),
  })
  .strict()
  .superRefine((batch, ctx) => {
    if (batch.seqs.length !== batch.records.length) {
      ctx.addIssue({ code: 'custom', path: ['seqs'], message: `has ${batch.seqs.length} entries for ${batch.records.length} records` });
      return;
    }
    for (let i = 1; i < batch.seqs.length; i++) {
      if (batch.seqs[i] <= batch.seqs[i - 1]) {
        ctx.addIssue({ code: 'custom', path: ['seqs', i], message: 'must be strictly increasing' });
        return;
      }
    }
  });
export type GradesBatchV1 = z.infer<typeof gradesBatchV1Schema>;

export const rejectedRecordSchema = z
  .object({ id: z.string().min(1).max(200), code: z.string().min(1).max(64), reason: z.string().max(2000) })
  .strict();
export type RejectedRecord = z.infer<typeof rejectedRecordSchema>;

/** HQ → device, sent only after HQ's own commit. `committed` may leave the outbox. */
export const ackV1Schema = z
  .object({
    schema: z.literal('loupe.sync.ack/v1'),
    batchId,
    deviceId: segment,
    committed: z.array(z.string().min(1).max(200)).max(MAX_BATCH_RECORDS),
    rejected: z.array(rejectedRecordSchema).max(MAX_BATCH_RECORDS),
    hqAt: isoTime,
    worker: z.string().max(200).optional(),
  })
  .strict();
export type AckV1 = z.infer<typeof ackV1Schema>;

/** Device → anyone, retained. The last will is the same shape with state "offline". */
export const deviceStatusV1Schema = z
  .object({
    schema: z.literal('loupe.sync.status/v1'),
    deviceId: segment,
    storeId: segment,
    state: z.enum(['online', 'offline']),
    at: isoTime,
    /** Rows waiting in the outbox; null when not known (the last will). */
    backlog: z.number().int().nonnegative().nullable(),
    oldestUnsentAgeS: z.number().nonnegative().nullable(),
    modelVersion: z.string().max(200).nullable(),
    reason: z.string().max(200).optional(),
  })
  .strict();
export type DeviceStatusV1 = z.infer<typeof deviceStatusV1Schema>;

/** Device → HQ, retained: the last model release the device took or refused over MQTT, and why. */
export const deviceReleaseV1Schema = z
  .object({
    schema: z.literal('loupe.sync.release/v1'),
    deviceId: segment,
    storeId: segment,
    /** name@version */
    release: z.string().min(3).max(200),
    state: z.enum(['installed', 'refused']),
    code: z.string().min(1).max(64).optional(),
    reason: z.string().max(1000).optional(),
    at: isoTime,
  })
  .strict();
export type DeviceReleaseV1 = z.infer<typeof deviceReleaseV1Schema>;

export interface PayloadByKind {
  grades: GradesBatchV1;
  ack: AckV1;
  status: DeviceStatusV1;
  release: DeviceReleaseV1;
}

/** The one typed topic → payload map both ends decode with. */
export const payloadSchemas: { [K in TopicKind]: z.ZodType<PayloadByKind[K]> } = {
  grades: gradesBatchV1Schema,
  ack: ackV1Schema,
  status: deviceStatusV1Schema,
  release: deviceReleaseV1Schema,
};
