import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GradeStore } from '../../device/store/grade-store.ts';
import { applyRetention } from '../../device/store/retention.ts';
import { planRetention, type HeldImage } from '../../device/store/retention-policy.ts';
import { makeRecord, tempDir, TINY_JPEG } from './fixtures.ts';

const MB = 1024 * 1024;
const now = new Date('2025-06-30T12:00:00Z');
const image = (id: string, daysAgo: number, frameMb = 1, thumbKb = 10): HeldImage => ({
  gradeId: id,
  createdAt: new Date(now.getTime() - daysAgo * 86_400_000).toISOString(),
  hasFrame: true,
  frameBytes: frameMb * MB,
  hasThumbnail: true,
  thumbnailBytes: thumbKb * 1024,
});

describe('planRetention (pure)', () => {
  it('drops full frames older than fullFrameDays and nothing else when disk is fine', () => {
    const plan = planRetention({ images: [image('new', 1), image('old', 40), image('older', 90)], now, fullFrameDays: 30, freeDiskBytes: 10_000 * MB, minFreeDiskMb: 500 });
    expect(plan.dropFrames).toEqual(['older', 'old']);
    expect(plan.dropThumbnails).toEqual([]);
    expect(plan.reason).toEqual({ expired: 2, lowDisk: 0 });
  });

  it('on low disk drops the oldest frames first, only as many as needed', () => {
    const images = [image('a', 3), image('b', 2), image('c', 1)];
    const plan = planRetention({ images, now, fullFrameDays: 30, freeDiskBytes: 98 * MB, minFreeDiskMb: 100 });
    expect(plan.dropFrames).toEqual(['a', 'b']);
    expect(plan.dropThumbnails).toEqual([]);
    expect(plan.expectedFreeBytes).toBe(100 * MB);
  });

  it('drops thumbnails, oldest first, only after every frame is gone', () => {
    const images = [image('a', 3, 1, 512), image('b', 2, 1, 512), image('c', 1, 1, 512)];
    const plan = planRetention({ images, now, fullFrameDays: 30, freeDiskBytes: 96 * MB, minFreeDiskMb: 100 });
    expect(plan.dropFrames).toEqual(['a', 'b', 'c']);
    expect(plan.dropThumbnails).toEqual(['a', 'b']);
  });
});

describe('applyRetention on a real store', () => {
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

  it('deletes expired frame files and low-disk thumbnails but never a grade or outbox row', () => {
    const old = makeRecord({ createdAt: new Date('2025-05-01T00:00:00Z') });
    const recent = makeRecord({ createdAt: new Date('2025-06-29T00:00:00Z') });
    for (const record of [old, recent]) store.save({ record, thumbnailJpeg: TINY_JPEG, frame: { bytes: Buffer.alloc(1000, 1), ext: 'jpg' } });
    const oldFrame = store.framePath(old.id)!;
    expect(existsSync(oldFrame)).toBe(true);

    const plan = applyRetention(store, { fullFrameDays: 30, minFreeDiskMb: 1 }, { now, freeDisk: () => 10 * MB });
    expect(plan.dropFrames).toEqual([old.id]);
    expect(existsSync(oldFrame)).toBe(false);
    expect(store.framePath(old.id)).toBeUndefined();
    expect(store.framePath(recent.id)).toBeDefined();

    applyRetention(store, { fullFrameDays: 30, minFreeDiskMb: 1000 }, { now, freeDisk: () => 0 });
    expect(store.framePath(recent.id)).toBeUndefined();
    expect(store.thumbnail(old.id)).toBeUndefined();
    expect(store.thumbnail(recent.id)).toBeUndefined();
    expect(store.count()).toBe(2);
    expect(store.get(old.id)).toEqual(old);
    expect(store.outbox.backlog().count).toBe(2);
  });
});

describe('sweepOrphanFrames', () => {
  it('deletes old frame files no grade points at, and nothing else', async () => {
    const { sweepOrphanFrames } = await import('../../device/store/orphan-frames.ts');
    const { mkdirSync, writeFileSync, utimesSync } = await import('node:fs');
    const temp = tempDir();
    const store = new GradeStore(temp.dir);
    store.open();
    try {
      const record = makeRecord({ createdAt: new Date('2025-06-01T00:00:00Z') });
      store.save({ record, thumbnailJpeg: TINY_JPEG, frame: { bytes: TINY_JPEG, ext: 'jpg' } });
      const kept = store.framePath(record.id)!;
      mkdirSync(`${temp.dir}/frames/2025-06-02`, { recursive: true });
      const orphan = `${temp.dir}/frames/2025-06-01/orphan.jpg`;
      const fresh = `${temp.dir}/frames/2025-06-01/in-flight.jpg.tmp-1`;
      const lonely = `${temp.dir}/frames/2025-06-02/old.png`;
      for (const f of [orphan, fresh, lonely]) writeFileSync(f, 'x');
      const old = new Date(now.getTime() - 2 * 3_600_000);
      for (const f of [kept, orphan, lonely]) utimesSync(f, old, old);
      const removed = sweepOrphanFrames(store, now);
      expect(removed.sort()).toEqual(['frames/2025-06-01/orphan.jpg', 'frames/2025-06-02/old.png']);
      expect(existsSync(kept)).toBe(true);
      expect(existsSync(fresh)).toBe(true);
      expect(existsSync(`${temp.dir}/frames/2025-06-02`)).toBe(false);
      expect(store.count()).toBe(1);
    } finally {
      store.close();
      temp.remove();
    }
  });
});
