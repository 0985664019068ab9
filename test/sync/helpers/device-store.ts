/** A real device grade store (device/store, SQLite file) filled through its own API. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GradeStore } from '../../../device/store/grade-store.ts';
import type { SigningKey } from '../../../device/grading/signature.ts';
import type { GradeRecordV1 } from '../../../device/grading/record.ts';
import { makeRecord } from './records.ts';

/** Small stand-ins for image bytes: the store keeps them as opaque blobs. */
export const TINY_JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 0xff, 0xd9]);

export function openDeviceStore(dir = mkdtempSync(join(tmpdir(), 'loupe-device-'))): GradeStore {
  const store = new GradeStore(dir);
  store.open();
  return store;
}

/** Closes the store and deletes its folder. */
export function removeDeviceStore(store: GradeStore): void {
  if (store.isOpen) store.close();
  rmSync(store.dataDir, { recursive: true, force: true });
}

export function gradeInto(store: GradeStore, n: number, opts: { storeId: string; deviceId: string; key: SigningKey; frameBytes?: number }): GradeRecordV1[] {
  const records: GradeRecordV1[] = [];
  const frame = Buffer.alloc(opts.frameBytes ?? 64, 7);
  for (let i = 0; i < n; i++) {
    const record = makeRecord({ ...opts, i });
    store.save({ record, thumbnailJpeg: TINY_JPEG, frame: { bytes: frame, ext: 'jpg' } });
    records.push(record);
  }
  return records;
}
