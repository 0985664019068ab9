/**
 * A model rollout as HQ runs it: `loupe hq release keygen` and `loupe hq release publish` (the
 * real CLI) to a real Mosquitto, and the real daemon (`loupe serve`) taking the release, grading
 * with it, and starting on it again after a restart.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { LOUPE_BIN, REPO_ROOT } from '../../cloud-sync/bench/hq-process.ts';
import { bundledReleaseDir } from '../../device/inference/release.ts';
import { IDENTITY_DIR, RELEASE_KEY_FILE } from '../../provisioning/identity.ts';
import { copyRelease } from '../device/helpers/releases.ts';
import { Scenario } from './helpers/scenario.ts';
import { waitFor } from './helpers/wait.ts';

const exec = promisify(execFile);
const loupe = (args: string[]) => exec(process.execPath, [LOUPE_BIN, ...args], { cwd: REPO_ROOT, timeout: 60_000 });

let keys = '';
const scenario = new Scenario({
  name: 'release-rollout',
  beforeDaemonStart: async (dataDir) => {
    keys = join(dataDir, '..', 'hq-keys');
    const made = await loupe(['hq', 'release', 'keygen', '--out', keys]);
    expect(made.stdout).toMatch(/^release key [0-9a-f]{16}/);
    mkdirSync(join(dataDir, IDENTITY_DIR), { recursive: true });
    copyFileSync(join(keys, 'hq-release-key.pem'), join(dataDir, IDENTITY_DIR, RELEASE_KEY_FILE)); // what provisioning does
  },
});
const next = copyRelease(bundledReleaseDir(), (m) => (m.version = '9.9.9'));
afterAll(async () => {
  await scenario.stop();
  next.remove();
});

it('HQ publishes a release; the daemon takes it, grades with it, starts on it after a restart, and HQ\'s pin rolls it back for good', async () => {
  await scenario.start();
  const { daemon } = scenario;
  await waitFor(async () => (await daemon.health()).model.version !== '-', 'the bundled model loaded');
  const before = (await daemon.health()).model.version;
  expect(before).not.toBe('9.9.9');

  const published = await loupe(['hq', 'release', 'publish', '--data', join(scenario.root, 'hq'), '--broker', scenario.broker.url, '--release', next.dir, '--key', join(keys, 'hq-release-key.private.pem')]);
  expect(published.stdout).toMatch(/^announced loupe-rb@9\.9\.9 \(\d+ files, \d+ bytes, signed by [0-9a-f]{16}\) to every store/);
  await waitFor(async () => (await daemon.health()).model.version === '9.9.9', 'the daemon runs the new release', 60_000);
  expect(daemon.events('release.installed')).toHaveLength(1);
  const graded = await daemon.grade();
  expect(graded.status).toBe(201);
  expect(graded.record?.modelVersion).toBe('loupe-rb@9.9.9');
  expect(existsSync(join(daemon.options.dataDir, 'releases', 'loupe-rb-9.9.9', 'model.int8.onnx'))).toBe(true);

  await daemon.stop();
  await daemon.start();
  await waitFor(async () => (await daemon.health()).model.version === '9.9.9', 'the daemon starts on the received release', 60_000);
  // The retained announcement arrives again after the restart: the version is not newer, so it is refused quietly.
  await waitFor(() => daemon.events('release.refused').some((e) => (e as { code?: string }).code === 'RELEASE_NOT_NEWER'), 'the repeat announcement refused as not newer');

  // HQ rolls the store back to the bundled release; the daemon keeps it across a restart, though 9.9.9 is newer and on its disk.
  const rolledBack = await loupe(['hq', 'release', 'pin', '--data', join(scenario.root, 'hq'), '--broker', scenario.broker.url, '--name', 'loupe-rb', '--version', before, '--store', scenario.address.storeId, '--key', join(keys, 'hq-release-key.private.pem')]);
  expect(rolledBack.stdout).toMatch(new RegExp(`^pinned loupe-rb@${before.replace(/\./g, '\\.')} at `));
  await waitFor(async () => (await daemon.health()).model.version === before, 'rolled back', 60_000);
  await daemon.stop();
  await daemon.start();
  await waitFor(async () => (await daemon.health()).model.version === before, 'starts on the pinned release', 60_000);
  expect((await daemon.grade()).record?.modelVersion).toBe(`loupe-rb@${before}`);
});
