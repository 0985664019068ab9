/**
 * The release HQ pinned this device to (its rollback command), kept in <data>/releases/pin.json
 * so that a restart runs the pinned release rather than the newest one on disk.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './json-file.ts';
import { downloadedReleasesDir } from './release.ts';
import { SEMVER_PATTERN } from './semver.ts';

const pinFileSchema = z.object({ name: z.string().min(1), version: z.string().regex(SEMVER_PATTERN), issuedAt: z.iso.datetime() }).strict();
export type ReleasePin = z.infer<typeof pinFileSchema>;

export function pinFile(dataDir: string): string {
  return join(downloadedReleasesDir(dataDir), 'pin.json');
}

/** The stored pin; null when there is none or the file is unreadable (then no pin applies). */
export function readReleasePin(dataDir: string): ReleasePin | null {
  return readJsonFile(pinFile(dataDir), pinFileSchema);
}

export function writeReleasePin(dataDir: string, pin: ReleasePin): void {
  writeJsonFile(pinFile(dataDir), pin);
}
