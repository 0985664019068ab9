import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GradeStore } from '../../device/store/grade-store.ts';
import { makeRecord, tempDir, TINY_JPEG } from './fixtures.ts';

describe('GradeStore', () => {
  let temp: ReturnType<typeof tempDir>;
  let store: GradeStore;
  beforeEach(() => {
    temp = tempDir();
    store = new GradeStore(temp.dir);
    store.open();
  });
  afterEach(() => {
    store.close();
    temp.remove();
  });

  const save = (record = makeRecord(), frame = Buffer.from('frame-bytes')) => {
    store.save({ record, thumbnailJpeg: TINY_JPEG, frame: { bytes: frame, ext: 'jpg' } });
    return record;
  };

  it('writes the grade, its thumbnail, its frame file and an outbox row together', () => {
    const record = makeRecord({ createdAt: new Date('2025-03-04T05:06:07.000Z') });
    const { framePath } = store.save({ record, thumbnailJpeg: TINY_JPEG, frame: { bytes: Buffer.from('the frame'), ext: 'jpg' } });
    expect(framePath).toBe(`frames/2025-03-04/${record.id}.jpg`);
    expect(readFileSync(store.framePath(record.id)!, 'utf8')).toBe('the frame');
    expect(store.get(record.id)).toEqual(record);
    expect(store.thumbnail(record.id)).toEqual(TINY_JPEG);
    expect(store.outbox.peek(5).map((e) => e.recordId)).toEqual([record.id]);
    expect(store.count()).toBe(1);
  });

  it('refuses to change or delete a grade row (immutable records)', () => {
    const record = save();
    const db = store.connection();
    expect(() => db.prepare("UPDATE grades SET colour = 'D' WHERE id = ?").run(record.id)).toThrow(/GRADE_IMMUTABLE/);
    expect(() => db.prepare('DELETE FROM grades WHERE id = ?').run(record.id)).toThrow(/GRADE_IMMUTABLE/);
    expect(store.get(record.id)).toEqual(record);
  });

  it('refuses a duplicate id and leaves the first grade and its frame untouched', () => {
    const record = save(makeRecord(), Buffer.from('first'));
    expect(() => save(record, Buffer.from('second'))).toThrow(expect.objectContaining({ code: 'STORE_DUPLICATE_ID' }));
    expect(readFileSync(store.framePath(record.id)!, 'utf8')).toBe('first');
    expect(store.count()).toBe(1);
    expect(store.outbox.backlog().count).toBe(1);
  });

  it('removes the frame file again when the transaction fails', () => {
    const record = makeRecord();
    store.connection().exec("CREATE TRIGGER fail_outbox BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk says no'); END;");
    expect(() => save(record)).toThrow(expect.objectContaining({ code: 'STORE_WRITE_FAILED' }));
    expect(existsSync(`${temp.dir}/frames/${record.createdAt.slice(0, 10)}/${record.id}.jpg`)).toBe(false);
    expect(store.count()).toBe(0);
    expect(store.get(record.id)).toBeUndefined();
  });

  it("lists a day by the store's local day: an evening in New York is the same day, though UTC has moved on", () => {
    const at = (iso: string) => save(makeRecord({ createdAt: new Date(iso) }));
    const morning = at('2026-12-04T14:00:00.000Z'); // 09:00 in New York
    const evening = at('2026-12-05T02:30:00.000Z'); // 21:30 on the 4th in New York, the 5th in UTC
    const nextDay = at('2026-12-05T05:00:00.000Z'); // 00:00 on the 5th in New York
    const ids = (day: string, timeZone?: string) => store.list({ day, timeZone }).map((r) => r.id);
    expect(ids('2026-12-04', 'America/New_York')).toEqual([evening.id, morning.id]);
    expect(ids('2026-12-05', 'America/New_York')).toEqual([nextDay.id]);
    expect(ids('2026-12-04')).toEqual([morning.id]); // UTC when no zone is given
    // UTC+05:45: 19:45 on the 4th; 08:15 and 10:45 on the 5th.
    expect(ids('2026-12-04', 'Asia/Kathmandu')).toEqual([morning.id]);
    expect(ids('2026-12-05', 'Asia/Kathmandu')).toEqual([nextDay.id, evening.id]);
  });

  it('lists history newest first, by UTC day, with a limit', () => {
    const day1 = [1, 2, 3].map((h) => save(makeRecord({ createdAt: new Date(Date.UTC(2025, 4, 1, h)) })));
    const day2 = [1, 2].map((h) => save(makeRecord({ createdAt: new Date(Date.UTC(2025, 4, 2, h)) })));
    expect(store.list({ day: '2025-05-01' }).map((r) => r.id)).toEqual(day1.map((r) => r.id).reverse());
    expect(store.list({ day: '2025-05-02' }).map((r) => r.id)).toEqual(day2.map((r) => r.id).reverse());
    expect(store.list({ day: '2025-05-03' })).toEqual([]);
    expect(store.list({ limit: 2 }).map((r) => r.id)).toEqual([day2[1].id, day2[0].id]);
  });

  it('counts attempts on outbox rows', () => {
    const record = save();
    store.outbox.markAttempt([record.id]);
    store.outbox.markAttempt([record.id]);
    const [row] = store.outbox.rows(1);
    expect(row.attempts).toBe(2);
    expect(row.lastAttemptAt).not.toBeNull();
  });

  it('keeps every grade across a close and reopen', () => {
    const records = [save(), save(), save()];
    store.close();
    store = new GradeStore(temp.dir);
    store.open();
    expect(store.count()).toBe(3);
    for (const r of records) expect(store.get(r.id)).toEqual(r);
  });
});

describe('sniffFrameExt', () => {
  it('names the format from the magic bytes, or nothing', async () => {
    const { sniffFrameExt } = await import('../../device/store/frame-files.ts');
    expect(sniffFrameExt(Buffer.from('ffd8ffe0', 'hex'))).toBe('jpg');
    expect(sniffFrameExt(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('png');
    expect(sniffFrameExt(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]))).toBe('webp');
    expect(sniffFrameExt(Buffer.from('49492a00', 'hex'))).toBe('tiff');
    expect(sniffFrameExt(Buffer.from('4d4d002a', 'hex'))).toBe('tiff');
    expect(sniffFrameExt(Buffer.from('GIF89a'))).toBeUndefined();
    expect(sniffFrameExt(Buffer.alloc(0))).toBeUndefined();
  });
});
