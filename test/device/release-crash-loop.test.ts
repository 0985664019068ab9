/**
 * The boot counter with the real daemon (`loupe serve`, offline): a release on probation that the
 * daemon keeps dying on (SIGKILL here, as a native crash in the model's provider would) is rolled
 * back at the next start; clean stops do not count.
 */
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { beginProbation } from '../../device/inference/probation.ts';
import { readProbation, readRolledBack, writeProbation } from '../../device/inference/probation-store.ts';
import { bundledReleaseDir, loadRelease } from '../../device/inference/release.ts';
import { DaemonProcess } from '../sync/helpers/daemon.ts';
import { waitFor } from '../sync/helpers/wait.ts';
import { copyRelease } from './helpers/releases.ts';

const root = mkdtempSync(join(tmpdir(), 'loupe-crash-loop-'));
const dataDir = join(root, 'data');
const daemon = new DaemonProcess({ dataDir, brokerUrl: 'offline', storeId: 'store-c', deviceId: 'counter-c' });
const next = copyRelease(bundledReleaseDir(), (m) => (m.version = '9.9.9'));
afterAll(async () => {
  await daemon.kill();
  next.remove();
  rmSync(root, { recursive: true, force: true });
});

it('a release the daemon keeps crashing on is rolled back at the next start; a clean stop is not a crash', async () => {
  const bundled = loadRelease(bundledReleaseDir()).manifest.version;
  daemon.prepare();
  const received = join(dataDir, 'releases', 'loupe-rb-9.9.9');
  cpSync(next.dir, received, { recursive: true });
  // As GradingCore.installRelease leaves it after taking HQ's announcement, then a clean stop.
  writeProbation(dataDir, { ...beginProbation('loupe-rb@9.9.9', received, bundledReleaseDir(), new Date()), running: false });
  /** The model version once the daemon has loaded one (it answers /api/health before). */
  const version = async () => {
    let v = '-';
    await waitFor(async () => (v = (await daemon.health()).model.version) !== '-', 'a model loaded', 60_000);
    return v;
  };

  await daemon.start();
  expect(await version()).toBe('9.9.9');
  expect(readProbation(dataDir)).toMatchObject({ crashes: 0, running: true });
  await daemon.stop();
  expect(readProbation(dataDir)).toMatchObject({ crashes: 0, running: false });

  await daemon.start();
  expect(await version()).toBe('9.9.9');
  expect(readProbation(dataDir)).toMatchObject({ crashes: 0, running: true });
  await daemon.kill();
  await daemon.start();
  expect(await version()).toBe('9.9.9');
  expect(readProbation(dataDir)).toMatchObject({ crashes: 1, running: true });
  await daemon.kill();

  await daemon.start();
  expect(await version()).toBe(bundled);
  expect(readProbation(dataDir)).toBeNull();
  expect(existsSync(received)).toBe(false);
  expect(readRolledBack(dataDir)).toEqual([
    { release: 'loupe-rb@9.9.9', code: 'RELEASE_ROLLED_BACK', reason: expect.stringMatching(/^the daemon stopped without a clean shutdown 2 times while running it on probation/), at: expect.any(String), reported: false },
  ]);
  expect(daemon.events('release.rollback')).toHaveLength(1);
  expect((await daemon.grade()).record?.modelVersion).toBe(`loupe-rb@${bundled}`);
});
