/** Carries out the retention plan against the store and the frames folder. */
import { mkdirSync, statfsSync } from 'node:fs';
import type { GradeStore } from './grade-store.ts';
import { planRetention, type RetentionPlan } from './retention-policy.ts';

export type FreeDiskProbe = (dir: string) => number;

export const statfsFreeBytes: FreeDiskProbe = (dir) => {
  mkdirSync(dir, { recursive: true });
  const stats = statfsSync(dir);
  return Number(stats.bavail) * Number(stats.bsize);
};

export interface RetentionSettings {
  fullFrameDays: number;
  minFreeDiskMb: number;
}

export function applyRetention(
  store: GradeStore,
  settings: RetentionSettings,
  options: { now?: Date; freeDisk?: FreeDiskProbe } = {},
): RetentionPlan {
  const now = options.now ?? new Date();
  const images = store.imagesHeld().map((row) => ({
    gradeId: row.gradeId,
    createdAt: row.createdAt,
    frameBytes: row.frameBytes,
    hasFrame: row.framePath !== null,
    hasThumbnail: row.hasThumbnail,
    thumbnailBytes: row.thumbnailBytes,
  }));
  const plan = planRetention({
    images,
    now,
    fullFrameDays: settings.fullFrameDays,
    minFreeDiskMb: settings.minFreeDiskMb,
    freeDiskBytes: (options.freeDisk ?? statfsFreeBytes)(store.dataDir),
  });
  for (const id of plan.dropFrames) store.dropFrame(id, now);
  for (const id of plan.dropThumbnails) store.dropThumbnail(id, now);
  return plan;
}
