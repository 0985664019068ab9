/**
 * On disk beside the received releases: <data>/releases/probation.json, the release on probation
 * (probation.ts), and <data>/releases/rolled-back.json, the releases this device rolled back,
 * which it never takes or starts on again and reports to HQ until one report has gone through.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFile } from './json-file.ts';
import type { ProbationState } from './probation.ts';
import { downloadedReleasesDir } from './release.ts';

const probationSchema = z
  .object({
    release: z.string().min(1),
    dir: z.string().min(1),
    previousDir: z.string().min(1).nullable(),
    since: z.iso.datetime(),
    inferences: z.number().int().min(0),
    failures: z.record(z.string(), z.number().int().min(0)),
    crashes: z.number().int().min(0),
    running: z.boolean(),
  })
  .strict();

const rolledBackSchema = z
  .object({
    releases: z.array(
      z.object({ release: z.string().min(1), code: z.string().min(1), reason: z.string(), at: z.iso.datetime(), reported: z.boolean() }).strict(),
    ),
  })
  .strict();

export type RolledBackRelease = z.infer<typeof rolledBackSchema>['releases'][number];

const probationFile = (dataDir: string) => join(downloadedReleasesDir(dataDir), 'probation.json');
const rolledBackFile = (dataDir: string) => join(downloadedReleasesDir(dataDir), 'rolled-back.json');

/** The release on probation; null when none is (or the file is unreadable: then none is). */
export function readProbation(dataDir: string): ProbationState | null {
  return readJsonFile(probationFile(dataDir), probationSchema);
}

export function writeProbation(dataDir: string, state: ProbationState): void {
  writeJsonFile(probationFile(dataDir), state);
}

export function clearProbation(dataDir: string): void {
  rmSync(probationFile(dataDir), { force: true });
}

export function readRolledBack(dataDir: string): RolledBackRelease[] {
  return readJsonFile(rolledBackFile(dataDir), rolledBackSchema)?.releases ?? [];
}

export function isRolledBack(dataDir: string, release: string): RolledBackRelease | undefined {
  return readRolledBack(dataDir).find((entry) => entry.release === release);
}

export function addRolledBack(dataDir: string, entry: RolledBackRelease): void {
  const releases = readRolledBack(dataDir).filter((e) => e.release !== entry.release);
  writeJsonFile(rolledBackFile(dataDir), { releases: [...releases, entry] });
}

export function markRolledBackReported(dataDir: string, release: string): void {
  const releases = readRolledBack(dataDir).map((e) => (e.release === release ? { ...e, reported: true } : e));
  writeJsonFile(rolledBackFile(dataDir), { releases });
}
