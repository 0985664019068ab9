/**
 * Frame files no grade points at: left by a crash between the durable frame write and the
 * commit (or the removal of a refused frame's file). Deleted once older than `minAgeMs`, so a
 * write in flight is never touched.
 */
import { readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { removeFile } from './frame-files.ts';
import type { GradeStore } from './grade-store.ts';

export const ORPHAN_MIN_AGE_MS = 3_600_000;

export function sweepOrphanFrames(store: GradeStore, now = new Date(), minAgeMs = ORPHAN_MIN_AGE_MS): string[] {
  const root = join(store.dataDir, 'frames');
  let days: string[];
  try {
    days = readdirSync(root);
  } catch {
    return [];
  }
  const referenced = store.referencedFramePaths();
  const removed: string[] = [];
  for (const day of days.filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d))) {
    const dir = join(root, day);
    const names = readdirSync(dir);
    for (const name of names) {
      const relative = join('frames', day, name);
      if (referenced.has(relative)) continue;
      const file = join(dir, name);
      if (now.getTime() - statSync(file).mtimeMs < minAgeMs) continue;
      removeFile(file);
      removed.push(relative);
    }
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  }
  return removed;
}
