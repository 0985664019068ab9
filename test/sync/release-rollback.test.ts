/**
 * The automatic rollback as HQ sees it, with real parts: Mosquitto, HQ's publisher and ingest
 * worker (SQLite), the device's follower and a real GradingCore grading real frames. The device
 * runs 1.1.0, takes 1.1.1 from HQ on probation, its inference worker dies under it (ended between
 * grades, as an out-of-memory worker ends), and it goes back to 1.1.0 and tells HQ.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ReleaseFollower } from '../../cloud-sync/agent/release-follower.ts';
import { MosquittoBroker } from '../../cloud-sync/broker/mosquitto-process.ts';
import { IngestWorker } from '../../cloud-sync/hq/ingest-worker.ts';
import { publishRelease } from '../../cloud-sync/hq/release-publisher.ts';
import { SqliteHqStore } from '../../cloud-sync/hq/store/sqlite-store.ts';
import { createMemoryLogger } from '../../cloud-sync/log.ts';
import { loadConfig } from '../../device/config/load.ts';
import type { LoupeConfig } from '../../device/config/schema.ts';
import { GradingCore } from '../../device/daemon/grading-core.ts';
import { readRolledBack } from '../../device/inference/probation-store.ts';
import { RELEASES_ROOT } from '../../device/inference/release.ts';
import { makeFrameFixtures, type FrameFixtureSet } from '../fixtures/bad-frames.ts';
import { endIdleInferenceWorker } from '../device/helpers/worker-crash.ts';
import { fastSyncSettings } from './helpers/settings.ts';
import { waitFor } from './helpers/wait.ts';

const OLD = join(RELEASES_ROOT, 'loupe-rb-1.1.0');
const NEW = join(RELEASES_ROOT, 'loupe-rb-1.1.1');
const address = { storeId: 'store-rb', deviceId: 'counter-rb' };
let fixtures: FrameFixtureSet;
let cleanups: Array<() => Promise<void> | void> = [];
beforeAll(async () => {
  fixtures = await makeFrameFixtures();
});
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function setup() {
  const broker = new MosquittoBroker();
  await broker.start();
  const hqKey = generateKeyPairSync('ed25519');
  const dataDir = mkdtempSync(join(tmpdir(), 'loupe-rollback-'));
  const base = loadConfig({ dataDir, releaseDir: OLD });
  const config: LoupeConfig = { ...base, model: { ...base.model, probation: { grades: 10, maxFailures: 1, maxCrashes: 2 } } };
  const core = new GradingCore(config, { probation: true });
  await core.start();
  const hq = new SqliteHqStore(join(dataDir, '..', `${address.deviceId}-${process.pid}-${Date.now()}.hq.db`));
  await hq.open();
  const ingest = new IngestWorker({ brokerUrl: broker.url, store: hq, logger: createMemoryLogger(), backoff: { baseMs: 50, maxMs: 500 } });
  ingest.start();
  const followers: ReleaseFollower[] = [];
  const follower = () => {
    const f = new ReleaseFollower({
      settings: fastSyncSettings(broker.url),
      identity: address,
      releaseKey: hqKey.publicKey,
      dataDir,
      models: {
        current: () => core.models.info() ?? null,
        install: async (dir, how) => void (await core.installRelease(dir, how)),
        onRollback: (listener) => core.releases.onRollback(listener),
      },
      logger: createMemoryLogger(),
      downloadTimeoutMs: 10_000,
    });
    followers.push(f);
    return f;
  };
  cleanups.push(async () => {
    for (const f of followers) await f.stop();
    await ingest.stop();
    await hq.close();
    rmSync(hq.file, { force: true });
    await core.stop();
    await broker.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const atHq = async () => (await hq.listDevices()).find((d) => d.deviceId === address.deviceId)?.release ?? null;
  /** One grade that fails because the inference worker under the model died. */
  const failOneGrade = async () => {
    await endIdleInferenceWorker(core.models);
    await expect(core.grade({ data: fixtures.good.bytes })).rejects.toMatchObject({ code: 'MODEL_NOT_READY' });
    await core.releases.settled();
  };
  const publish = () => publishRelease({ brokerUrl: broker.url, releaseDir: NEW, privateKey: hqKey.privateKey, chunkBytes: 64 * 1024 });
  return { core, dataDir, follower, atHq, failOneGrade, publish };
}

describe('automatic rollback of a release from HQ', () => {
  it('HQ hears that the device rolled 1.1.1 back, and the retained announcement is not taken again after a restart', async () => {
    const { core, dataDir, follower, atHq, failOneGrade, publish } = await setup();
    await publish();
    const first = follower();
    first.start();
    await waitFor(() => core.models.info()?.version === '1.1.1', 'the device takes 1.1.1', 30_000);
    expect(core.releases.onProbation).toMatchObject({ release: 'loupe-rb@1.1.1' });
    expect((await core.grade({ data: fixtures.good.bytes })).ok).toBe(true);

    await failOneGrade();
    await waitFor(() => core.models.info()?.version === '1.1.0', 'rolled back to 1.1.0', 30_000);
    const report = await waitFor(async () => ((await atHq())?.code === 'RELEASE_ROLLED_BACK' ? atHq() : null), 'the rollback at HQ');
    expect(report).toMatchObject({ release: 'loupe-rb@1.1.1', state: 'refused', reason: '1 of its first 2 inferences failed (1 × MODEL_NOT_READY); probation allows 0' });
    await waitFor(() => readRolledBack(dataDir)[0]?.reported, 'marked as reported');

    // A restart of the follower sees the retained announcement again: refused, not downloaded.
    await first.stop();
    const second = follower();
    second.start();
    await waitFor(() => second.outcomes.length > 0, 'the announcement handled');
    expect(second.outcomes).toEqual([expect.objectContaining({ release: 'loupe-rb@1.1.1', state: 'refused', code: 'RELEASE_ROLLED_BACK', reason: expect.stringContaining('it is not taken again') })]);
    expect(existsSync(join(dataDir, 'releases', 'loupe-rb-1.1.1'))).toBe(false);
    expect(core.models.info()?.version).toBe('1.1.0');
  });

  it('a store offline at the rollback tells HQ when it is back', async () => {
    const { core, dataDir, follower, atHq, failOneGrade } = await setup();
    await core.installRelease(NEW, 'announcement'); // taken while online; the store has since gone offline
    await failOneGrade();
    expect(core.models.info()?.version).toBe('1.1.0');
    expect(readRolledBack(dataDir)).toMatchObject([{ release: 'loupe-rb@1.1.1', reported: false }]);

    follower().start(); // back online
    const report = await waitFor(async () => ((await atHq())?.code === 'RELEASE_ROLLED_BACK' ? atHq() : null), 'the rollback at HQ');
    expect(report).toMatchObject({ release: 'loupe-rb@1.1.1', state: 'refused' });
    await waitFor(() => readRolledBack(dataDir)[0]?.reported, 'marked as reported');
    expect(existsSync(NEW)).toBe(true); // a bundled release is never removed
  });
});
