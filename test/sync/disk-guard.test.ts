/**
 * The disk guard over a real device store. Free disk space is the one thing faked: it is a
 * hardware edge (a full SD card cannot be arranged in CI), so the probe reports what we choose.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DiskGuard } from '../../cloud-sync/agent/disk-guard.ts';
import { createMemoryLogger } from '../../cloud-sync/log.ts';
import { applyRetention } from '../../device/store/retention.ts';
import { gradeInto, openDeviceStore, removeDeviceStore } from './helpers/device-store.ts';
import { testSigningKey } from './helpers/records.ts';

const MB = 1024 * 1024;

describe('DiskGuard', () => {
  function setup(freeBytes: () => number) {
    const store = openDeviceStore();
    const records = gradeInto(store, 6, { storeId: 's', deviceId: 'd', key: testSigningKey(), frameBytes: 100 * 1024 });
    const logger = createMemoryLogger();
    const guard = new DiskGuard({
      freeBytes,
      thresholdBytes: 10 * MB,
      applyRetention: () => applyRetention(store, { fullFrameDays: 30, minFreeDiskMb: 10 }, { freeDisk: freeBytes }),
      intervalMs: 60_000,
      logger,
    });
    return { store, records, guard, logger };
  }

  it('does nothing while free disk is above the threshold', () => {
    const { store, records, guard } = setup(() => 50 * MB);
    expect(guard.check()).toBeUndefined();
    for (const r of records) expect(store.framePath(r.id)).toBeDefined();
    removeDeviceStore(store);
  });

  it('below the threshold drops full frames first, oldest first, and keeps grades and outbox rows', () => {
    let free = 10 * MB - 250 * 1024; // three 100 KiB frames short of... enough after three
    const { store, records, guard, logger } = setup(() => free);
    const framesBefore = records.map((r) => store.framePath(r.id)!);
    const outcome = guard.check()!;
    expect(outcome.dropFrames).toEqual(records.slice(0, 3).map((r) => r.id));
    expect(outcome.dropThumbnails).toEqual([]);
    expect(existsSync(framesBefore[0])).toBe(false);
    expect(existsSync(framesBefore[5])).toBe(true);
    expect(store.thumbnail(records[0].id)).toBeDefined();
    expect(store.count()).toBe(6);
    expect(store.outbox.backlog().count).toBe(6);
    expect(logger.entries.find((e) => e.event === 'sync.disk_low')).toMatchObject({ droppedFrames: 3, droppedThumbnails: 0 });
    // Much shorter: every frame goes, then thumbnails; the records still stay.
    free = 1 * MB;
    const second = guard.check()!;
    expect(second.dropFrames).toHaveLength(3);
    expect(second.dropThumbnails.length).toBeGreaterThan(0);
    expect(store.count()).toBe(6);
    expect(store.outbox.backlog().count).toBe(6);
    removeDeviceStore(store);
  });

  it('logs and carries on when the probe fails', () => {
    const { store, guard, logger } = setup(() => {
      throw new Error('EIO');
    });
    expect(guard.check()).toBeUndefined();
    expect(logger.entries.find((e) => e.event === 'sync.disk_check_failed')).toMatchObject({ message: 'EIO' });
    removeDeviceStore(store);
  });
});
