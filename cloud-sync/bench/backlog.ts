/**
 * A device outbox with a backlog of N grades, written through the real store API (GradeStore.save).
 * Filling 100,000 grades one durable save at a time would take ~13 minutes (frame fsync + commit
 * fsync per grade), so the fill runs on tmpfs inside outer transactions; the database is then
 * copied to a disk folder and the drain runs there, with the store's own durable settings.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATABASE_FILE, GradeStore } from '../../device/store/grade-store.ts';
import { makeRecord, testSigningKey, type TestSigningKey } from './synthetic-records.ts';

const THUMBNAIL = Buffer.alloc(2048, 1);
const FRAME = Buffer.alloc(256, 2);

/** `key` signs the grades; HQ must trust it (trustKey) to commit them. */
export function fillBacklog(
  n: number,
  address: { storeId: string; deviceId: string },
  key: TestSigningKey = testSigningKey(),
  diskDir = mkdtempSync(join(tmpdir(), 'loupe-bench-device-')),
): GradeStore {
  const scratch = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'loupe-bench-fill-'));
  const fill = new GradeStore(scratch);
  fill.open();
  const db = fill.connection();
  const chunk = 5000;
  for (let done = 0; done < n; done += chunk) {
    db.transaction(() => {
      for (let i = done; i < Math.min(n, done + chunk); i++) {
        fill.save({ record: makeRecord({ ...address, key, i }), thumbnailJpeg: THUMBNAIL, frame: { bytes: FRAME, ext: 'jpg' } });
      }
    })();
  }
  fill.close();
  copyFileSync(join(scratch, DATABASE_FILE), join(diskDir, DATABASE_FILE));
  rmSync(scratch, { recursive: true, force: true });
  const store = new GradeStore(diskDir);
  store.open();
  return store;
}
