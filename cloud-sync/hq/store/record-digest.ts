/** What the HQ store keeps of a record besides the record itself. */
import { createHash } from 'node:crypto';
import type { GradeRecordV1 } from '../../../device/grading/record.ts';

export interface RecordColumns {
  json: string;
  sha256: string;
}

/**
 * The record as parsed by its schema serialises in the schema's key order, so equal records give
 * equal bytes whatever order the device sent the keys in.
 */
export function recordColumns(record: GradeRecordV1): RecordColumns {
  const json = JSON.stringify(record);
  return { json, sha256: createHash('sha256').update(json).digest('hex') };
}
