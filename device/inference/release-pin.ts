/**
 * The release HQ pinned this device to (its rollback command), kept in <data>/releases/pin.json
 * so that a restart runs the pinned release rather than the newest one on disk.
 */
import { existsSync, readFileSync, renameSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { downloadedReleasesDir } from './release.ts';
import { SEMVER_PATTERN } from './semver.ts';

const pinFileSchema = z.object({ name: z.string().min(1), version: z.string().regex(SEMVER_PATTERN), issuedAt: z.iso.datetime() }).strict();
export type ReleasePin = z.infer<typeof pinFileSchema>;

export function pinFile(dataDir: string): string {
  return join(downloadedReleasesDir(dataDir), 'pin.json');
}

/** The stored pin; null when there is none or the file is unreadable (then no pin applies). */
export function readReleasePin(dataDir: string): ReleasePin | null {
  const file = pinFile(dataDir);
  if (!existsSync(file)) return null;
  try {
    const parsed = pinFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeReleasePin(dataDir: string, pin: ReleasePin): void {
  const file = pinFile(dataDir);
  mkdirSync(downloadedReleasesDir(dataDir), { recursive: true });
  writeFileSync(`${file}.tmp`, `${JSON.stringify(pin, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
