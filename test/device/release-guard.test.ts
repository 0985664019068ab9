/**
 * Probation and automatic rollback of a release taken from HQ, on a real GradingCore: a real
 * onnxruntime-node session grading real frames into a real SQLite file. The in-service failure is
 * the inference worker dying under the model (as it does when it runs out of memory): its thread
 * is ended between grades, and the next grade fails with MODEL_NOT_READY while the host reloads.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../device/config/load.ts';
import type { LoupeConfig } from '../../device/config/schema.ts';
import { GradingCore } from '../../device/daemon/grading-core.ts';
import { readProbation, readRolledBack, type RolledBackRelease } from '../../device/inference/probation-store.ts';
import { RELEASES_ROOT, releaseDirsNewestFirst } from '../../device/inference/release.ts';
import { makeFrameFixtures, type FrameFixtureSet } from '../fixtures/bad-frames.ts';
import { copyRelease } from './helpers/releases.ts';
import { endIdleInferenceWorker } from './helpers/worker-crash.ts';

// The newest bundled release plays the one HQ sends, and the one before it the one the device runs:
// a restart must prefer nothing newer than the release rolled back.
const [NEW, OLD] = releaseDirsNewestFirst([RELEASES_ROOT]);
const NEW_VERSION = basename(NEW).replace('loupe-rb-', '');
const OLD_VERSION = basename(OLD).replace('loupe-rb-', '');
const LATER_VERSION = '99.0.0';

let fixtures: FrameFixtureSet;
let cleanups: Array<() => Promise<void> | void> = [];
beforeAll(async () => {
  fixtures = await makeFrameFixtures();
});
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

/** A device running OLD that has just received NEW from HQ into <data>/releases (as the follower writes it). */
async function device(probation: LoupeConfig['model']['probation'], dataDir = mkdtempSync(join(tmpdir(), 'loupe-guard-'))) {
  const base = loadConfig({ dataDir });
  const config: LoupeConfig = { ...base, model: { ...base.model, probation } };
  const events: Array<{ event: string; fields?: Record<string, unknown> }> = [];
  const core = new GradingCore(config, { log: (event, fields) => events.push({ event, fields }), probation: true });
  await core.openLocal();
  await core.models.load(OLD);
  const received = join(dataDir, 'releases', basename(NEW));
  cpSync(NEW, received, { recursive: true });
  cleanups.push(async () => {
    await core.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const grade = () => core.grade({ data: fixtures.good.bytes });
  const crashWorker = () => endIdleInferenceWorker(core.models);
  const reloaded = async (version: string) => {
    await expect.poll(() => core.models.ready && core.models.info()?.version === version, { timeout: 30_000 }).toBe(true);
  };
  return { core, config, dataDir, received, events, grade, crashWorker, reloaded };
}

describe('a release from HQ on probation', () => {
  it('fails in service (its worker dies twice): rolled back to the release it replaced, recorded, removed, and never started on again', async () => {
    const { core, config, dataDir, received, events, grade, crashWorker, reloaded } = await device({ grades: 10, maxFailures: 2, maxCrashes: 2 });
    const heard: RolledBackRelease[] = [];
    core.releases.onRollback((entry) => heard.push(entry));
    await core.installRelease(received, 'announcement');
    expect(core.models.info()?.version).toBe(NEW_VERSION);
    expect(readProbation(dataDir)).toMatchObject({ release: `loupe-rb@${NEW_VERSION}`, previousDir: OLD, inferences: 0, running: true });

    expect((await grade()).ok).toBe(true);
    expect(core.releases.onProbation).toMatchObject({ release: `loupe-rb@${NEW_VERSION}`, inferences: 1, failures: {} });

    await crashWorker();
    await expect(grade()).rejects.toMatchObject({ code: 'MODEL_NOT_READY' });
    expect(readProbation(dataDir)).toMatchObject({ inferences: 2, failures: { MODEL_NOT_READY: 1 } });
    await reloaded(NEW_VERSION); // the host reloads the same release once; probation goes on
    expect((await grade()).ok).toBe(true);

    await crashWorker();
    await expect(grade()).rejects.toMatchObject({ code: 'MODEL_NOT_READY' });
    await core.releases.settled();
    await reloaded(OLD_VERSION);
    expect(core.models.info()?.releaseDir).toBe(OLD);
    const outcome = await grade();
    expect(outcome.ok && outcome.record.modelVersion).toBe(`loupe-rb@${OLD_VERSION}`);

    const expected = { release: `loupe-rb@${NEW_VERSION}`, code: 'RELEASE_ROLLED_BACK', reason: '2 of its first 4 inferences failed (2 × MODEL_NOT_READY); probation allows 1', reported: false };
    expect(readRolledBack(dataDir)).toEqual([{ ...expected, at: expect.any(String) }]);
    expect(heard).toEqual([{ ...expected, at: expect.any(String) }]);
    expect(readProbation(dataDir)).toBeNull();
    expect(existsSync(received)).toBe(false);
    expect(events.map((e) => e.event)).toEqual(['release.probation-started', 'release.rollback', 'release.rolled-back']);
    expect(existsSync(NEW)).toBe(true); // the bundled copy of the same version is never removed

    // A restart on this data dir (NEW put back on disk, as a second download would) starts on the newest release not rolled back.
    cpSync(NEW, received, { recursive: true });
    await core.stop();
    const again = new GradingCore(config, { probation: true });
    cleanups.push(() => again.stop());
    // Same name and version, same model: the bundled NEW is left out too.
    expect(again.releases.withoutRolledBack([received, NEW, OLD])).toEqual([OLD]);
    expect(await again.start()).toMatchObject({ version: OLD_VERSION, releaseDir: OLD });
  });

  it('passes after its good inferences: probation ends, and a later failure does not roll it back', async () => {
    const { core, dataDir, received, events, grade, crashWorker, reloaded } = await device({ grades: 3, maxFailures: 1, maxCrashes: 2 });
    await core.installRelease(received, 'announcement');
    for (let i = 0; i < 3; i++) expect((await grade()).ok).toBe(true);
    expect(readProbation(dataDir)).toBeNull();
    expect(core.releases.onProbation).toBeNull();
    expect(events.map((e) => e.event)).toEqual(['release.probation-started', 'release.probation-passed']);

    await crashWorker();
    await expect(grade()).rejects.toMatchObject({ code: 'MODEL_NOT_READY' });
    await core.releases.settled();
    await reloaded(NEW_VERSION);
    expect(readRolledBack(dataDir)).toEqual([]);
  });

  it('a refused frame is not a model failure; a pinned release is not on probation', async () => {
    const { core, dataDir, received, grade } = await device({ grades: 5, maxFailures: 1, maxCrashes: 2 });
    await core.installRelease(received, 'announcement');
    for (const kind of ['blurred', 'truncatedJpeg'] as const) expect((await core.grade({ data: fixtures.bad[kind].bytes })).ok).toBe(false);
    expect(core.releases.onProbation).toMatchObject({ inferences: 0 });
    expect((await grade()).ok).toBe(true);
    await core.installRelease(OLD, 'pin');
    expect(core.releases.onProbation).toBeNull();
    expect(readProbation(dataDir)).toBeNull();
  });

  it('a second release taken while the first is still on probation rolls back past it, to the last trusted one', async () => {
    const { core, dataDir, received } = await device({ grades: 5, maxFailures: 1, maxCrashes: 2 });
    await core.installRelease(received, 'announcement');
    const made = copyRelease(NEW, (m) => (m.version = LATER_VERSION));
    cleanups.push(() => made.remove());
    const later = join(dataDir, 'releases', `loupe-rb-${LATER_VERSION}`);
    cpSync(made.dir, later, { recursive: true });
    await core.installRelease(later, 'announcement');
    expect(readProbation(dataDir)).toMatchObject({ release: `loupe-rb@${LATER_VERSION}`, dir: later, previousDir: OLD });
  });

  it('a one-off process on the same data dir (loupe grade) neither counts the running daemon as crashed nor clears its probation', async () => {
    const { core, config, dataDir, received } = await device({ grades: 5, maxFailures: 1, maxCrashes: 2 });
    await core.installRelease(received, 'announcement');
    const before = readProbation(dataDir);
    expect(before).toMatchObject({ running: true, crashes: 0 });
    const oneOff = new GradingCore(config);
    await oneOff.start();
    expect(oneOff.models.info()?.releaseDir).toBe(received);
    expect((await oneOff.grade({ data: fixtures.good.bytes })).ok).toBe(true);
    await oneOff.stop();
    expect(readProbation(dataDir)).toEqual(before);
  });

  it('probation.grades 0 turns it off', async () => {
    const { core, dataDir, received } = await device({ grades: 0, maxFailures: 1, maxCrashes: 1 });
    await core.installRelease(received, 'announcement');
    expect(core.releases.onProbation).toBeNull();
    expect(readProbation(dataDir)).toBeNull();
  });
});
