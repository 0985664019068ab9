/**
 * Which images to drop (pure). Full frames older than `fullFrameDays` go; then, while free disk
 * is below `minFreeDiskMb`, the oldest remaining frames go, and only then the oldest thumbnails.
 * Grade rows and outbox rows are never part of the plan.
 */
export interface HeldImage {
  gradeId: string;
  createdAt: string;
  frameBytes: number;
  hasFrame: boolean;
  hasThumbnail: boolean;
  thumbnailBytes: number;
}

export interface RetentionInputs {
  images: HeldImage[]; // any order
  now: Date;
  fullFrameDays: number;
  freeDiskBytes: number;
  minFreeDiskMb: number;
}

export interface RetentionPlan {
  dropFrames: string[];
  dropThumbnails: string[];
  /** Free space expected after the plan is carried out. */
  expectedFreeBytes: number;
  reason: { expired: number; lowDisk: number };
}

const DAY_MS = 86_400_000;

export function planRetention(input: RetentionInputs): RetentionPlan {
  const oldestFirst = [...input.images].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.gradeId.localeCompare(b.gradeId));
  const cutoff = input.now.getTime() - input.fullFrameDays * DAY_MS;
  const need = input.minFreeDiskMb * 1024 * 1024;
  let free = input.freeDiskBytes;
  const dropFrames: string[] = [];
  const dropThumbnails: string[] = [];
  let expired = 0;
  let lowDisk = 0;

  const keptFrames: HeldImage[] = [];
  for (const image of oldestFirst.filter((i) => i.hasFrame)) {
    if (Date.parse(image.createdAt) < cutoff) {
      dropFrames.push(image.gradeId);
      free += image.frameBytes;
      expired++;
    } else keptFrames.push(image);
  }
  for (const image of keptFrames) {
    if (free >= need) break;
    dropFrames.push(image.gradeId);
    free += image.frameBytes;
    lowDisk++;
  }
  for (const image of oldestFirst.filter((i) => i.hasThumbnail)) {
    if (free >= need) break;
    dropThumbnails.push(image.gradeId);
    free += image.thumbnailBytes;
    lowDisk++;
  }
  return { dropFrames, dropThumbnails, expectedFreeBytes: free, reason: { expired, lowDisk } };
}
