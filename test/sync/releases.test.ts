/**
 * Model releases over MQTT, with real parts: a Mosquitto broker, HQ's publisher, the device's
 * follower and a real ModelHost (onnxruntime-node) that must pass each release's golden set
 * before it swaps. The device runs 1.1.0 and HQ rolls out 1.1.1, the committed releases.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { ReleaseFollower } from '../../cloud-sync/agent/release-follower.ts';
import { MosquittoBroker } from '../../cloud-sync/broker/mosquitto-process.ts';
import { IngestWorker } from '../../cloud-sync/hq/ingest-worker.ts';
import { publishPin, publishRelease } from '../../cloud-sync/hq/release-publisher.ts';
import { SqliteHqStore } from '../../cloud-sync/hq/store/sqlite-store.ts';
import { createMemoryLogger } from '../../cloud-sync/log.ts';
import { announceTopic, chunkTopic } from '../../cloud-sync/protocol/index.ts';
import { ModelHost } from '../../device/inference/model-host.ts';
import { RELEASES_ROOT as BUNDLED } from '../../device/inference/release.ts';
import { copyRelease, type TempRelease } from '../device/helpers/releases.ts';
import { fastSyncSettings } from './helpers/settings.ts';
import { waitFor } from './helpers/wait.ts';

const OLD = join(BUNDLED, 'loupe-rb-1.1.0');
const NEW = join(BUNDLED, 'loupe-rb-1.1.1');
const address = { storeId: 'store-r', deviceId: 'counter-1' };
let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

const keyPair = () => generateKeyPairSync('ed25519');

async function setup(runs = OLD) {
  const broker = new MosquittoBroker();
  await broker.start();
  const hqKey = keyPair();
  const host = new ModelHost({ providers: ['cpu'], runTimeoutMs: 10_000 });
  await host.load(runs);
  const dataDir = mkdtempSync(join(tmpdir(), 'loupe-releases-'));
  const releasesDir = join(dataDir, 'releases');
  const logger = createMemoryLogger();
  const follower = new ReleaseFollower({
    settings: fastSyncSettings(broker.url),
    identity: address,
    releaseKey: hqKey.publicKey,
    dataDir,
    models: { current: () => host.info() ?? null, install: async (dir: string) => void (await host.load(dir)) },
    logger,
    downloadTimeoutMs: 10_000,
  });
  cleanups.push(async () => {
    await follower.stop();
    await host.stop();
    await broker.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });
  /** HQ's ingest worker, to see the outcomes the device reports. */
  const hqOutcomes = async () => {
    const store = new SqliteHqStore(join(releasesDir, '..', `hq-${process.pid}-${Math.random().toString(36).slice(2)}.db`));
    await store.open();
    const worker = new IngestWorker({ brokerUrl: broker.url, store, logger: createMemoryLogger(), backoff: { baseMs: 50, maxMs: 500 } });
    worker.start();
    cleanups.push(async () => {
      await worker.stop();
      await store.close();
      rmSync(store.file, { force: true });
    });
    return async () => (await store.listDevices()).find((d) => d.deviceId === address.deviceId)?.release ?? null;
  };
  const publish = (dir: string, privateKey: KeyObject = hqKey.privateKey, target?: { stores: string[] | null; devices: string[] | null }) =>
    publishRelease({ brokerUrl: broker.url, releaseDir: dir, privateKey, target, chunkBytes: 64 * 1024 });
  const pin = (version: string, privateKey: KeyObject = hqKey.privateKey, now?: Date) => publishPin({ brokerUrl: broker.url, name: 'loupe-rb', version, privateKey, now });
  const newFollower = () =>
    new ReleaseFollower({ ...followerDeps, logger });
  const followerDeps = {
    settings: fastSyncSettings(broker.url),
    identity: address,
    releaseKey: hqKey.publicKey,
    dataDir,
    models: { current: () => host.info() ?? null, install: async (dir: string) => void (await host.load(dir)) },
    downloadTimeoutMs: 10_000,
  };
  return { broker, host, follower, logger, releasesDir, dataDir, publish, pin, newFollower, hqOutcomes, hqKey };
}

describe('model releases over MQTT', () => {
  it('rolls a signed, newer release out to a device: downloaded in chunks, checked, golden set passed, swapped in', async () => {
    const { host, follower, releasesDir, publish, hqOutcomes } = await setup();
    const atHq = await hqOutcomes();
    const announcement = await publish(NEW);
    expect(announcement.files.length).toBeGreaterThan(30); // the model, the manifest and the golden crops
    follower.start(); // after the publish: the retained announcement and chunks reach a late device too
    await waitFor(() => follower.outcomes.length > 0, 'an outcome', 30_000);
    expect(follower.outcomes).toEqual([{ release: 'loupe-rb@1.1.1', state: 'installed', at: expect.any(String) }]);
    expect(host.info()).toMatchObject({ name: 'loupe-rb', version: '1.1.1', releaseDir: join(releasesDir, 'loupe-rb-1.1.1') });
    expect(readFileSync(join(releasesDir, 'loupe-rb-1.1.1', 'model.int8.onnx')).equals(readFileSync(join(NEW, 'model.int8.onnx')))).toBe(true);
    // The device reports the outcome; HQ's device list shows it.
    expect(await waitFor(atHq, 'the outcome at HQ')).toMatchObject({ release: 'loupe-rb@1.1.1', state: 'installed', code: null });
  });

  it('refuses an announcement not signed by HQ, and an older or equal version (no rollback by announcement); the model in use stays', async () => {
    const { host, follower, logger, publish } = await setup(NEW);
    await publish(OLD, keyPair().privateKey);
    follower.start();
    await waitFor(() => follower.outcomes.length === 1, 'the forged announcement refused');
    expect(follower.outcomes[0]).toMatchObject({ release: 'loupe-rb@1.1.0', state: 'refused', code: 'RELEASE_SIGNATURE_INVALID' });
    await follower.stop();
    const second = await setup(NEW);
    await second.publish(OLD);
    second.follower.start();
    await waitFor(() => second.follower.outcomes.length === 1, 'the older version refused');
    expect(second.follower.outcomes[0]).toMatchObject({ state: 'refused', code: 'RELEASE_NOT_NEWER', reason: expect.stringContaining('not newer than loupe-rb@1.1.1') });
    expect(host.info()?.version).toBe('1.1.1');
    expect(second.host.info()?.version).toBe('1.1.1');
    expect(logger.entries.some((e) => e.event === 'release.refused')).toBe(true);
  });

  it('refuses a release whose chunk was altered on the broker (sha256), and one whose golden set fails here', async () => {
    const { broker, host, follower, publish, releasesDir, hqOutcomes } = await setup();
    const atHq = await hqOutcomes();
    const announcement = await publish(NEW);
    const model = announcement.files.findIndex((f) => f.path === 'model.int8.onnx');
    const tamper = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    await tamper.publishAsync(chunkTopic('loupe-rb', '1.1.1', model, 0), Buffer.alloc(64 * 1024, 7), { qos: 1, retain: true });
    await tamper.endAsync();
    follower.start();
    await waitFor(() => follower.outcomes.length === 1, 'the altered release refused');
    expect(follower.outcomes[0]).toMatchObject({ state: 'refused', code: 'RELEASE_FILE_CORRUPT', reason: expect.stringContaining('model.int8.onnx') });
    await waitFor(async () => (await atHq())?.code === 'RELEASE_FILE_CORRUPT', 'the refusal at HQ');
    expect(host.info()?.version).toBe('1.1.0');

    const wrongGolden: TempRelease = copyRelease(NEW, (m) => {
      m.version = '1.1.2';
      m.golden[0].expected.colour = m.golden[0].expected.colour === 'D' ? 'E' : 'D';
    });
    cleanups.push(() => wrongGolden.remove());
    await publish(wrongGolden.dir);
    await waitFor(() => follower.outcomes.length === 2, 'the release that fails its golden set refused', 30_000);
    expect(follower.outcomes[1]).toMatchObject({ release: 'loupe-rb@1.1.2', state: 'refused', code: 'MODEL_GOLDEN_MISMATCH' });
    expect(await waitFor(async () => ((await atHq())?.release === 'loupe-rb@1.1.2' ? atHq() : null), 'the second refusal at HQ')).toMatchObject({ state: 'refused', code: 'MODEL_GOLDEN_MISMATCH', reason: expect.stringContaining('golden') });
    expect(host.info()?.version).toBe('1.1.0');
    expect(() => readFileSync(join(releasesDir, 'loupe-rb-1.1.2', 'manifest.json'))).toThrow(); // removed, not left to load at the next start
  });

  it('ignores a release for other stores, and drops a malformed announcement with a reason', async () => {
    const { broker, host, follower, logger, publish } = await setup();
    await publish(NEW, undefined, { stores: ['another-store'], devices: null });
    const junk = await mqtt.connectAsync(broker.url, { protocolVersion: 5 });
    await junk.publishAsync(announceTopic('loupe-junk'), Buffer.from('{"schema":"loupe.release/v1","name":3}'), { qos: 1, retain: true });
    await junk.endAsync();
    follower.start();
    await waitFor(() => logger.entries.some((e) => e.event === 'release.not_targeted') && logger.entries.some((e) => e.event === 'release.announcement_dropped'), 'both handled');
    expect(logger.entries.find((e) => e.event === 'release.announcement_dropped')).toMatchObject({ code: 'RELEASE_INVALID' });
    expect(follower.outcomes).toEqual([]);
    expect(host.info()?.version).toBe('1.1.0');
  });

  it('HQ pins a device back to the release it ran before; a restart keeps the pin; older announcements and pins are not taken, a newer release is', async () => {
    const { host, follower, publish, pin, newFollower, dataDir, hqKey } = await setup();
    await publish(NEW);
    follower.start();
    await waitFor(() => host.info()?.version === '1.1.1', 'rolled out to 1.1.1', 30_000);
    const pinned = await pin('1.1.0');
    await waitFor(() => host.info()?.version === '1.1.0', 'rolled back to 1.1.0 (bundled)', 30_000);
    expect(follower.outcomes.at(-1)).toMatchObject({ release: 'loupe-rb@1.1.0', state: 'installed', reason: `pinned by HQ at ${pinned.issuedAt}` });
    expect(JSON.parse(readFileSync(join(dataDir, 'releases', 'pin.json'), 'utf8'))).toEqual({ name: 'loupe-rb', version: '1.1.0', issuedAt: pinned.issuedAt });

    // A forged pin and a replayed older pin change nothing.
    await pin('1.1.1', keyPair().privateKey, new Date(Date.now() + 60_000));
    await waitFor(() => follower.outcomes.some((o) => o.code === 'RELEASE_SIGNATURE_INVALID'), 'the forged pin refused');
    await pin('1.1.1', hqKey.privateKey, new Date(Date.parse(pinned.issuedAt) - 60_000));
    await follower.settled();
    expect(host.info()?.version).toBe('1.1.0');

    // Restart the follower: the retained 1.1.1 announcement predates the pin and is refused.
    await follower.stop();
    const again = newFollower();
    cleanups.push(() => again.stop());
    again.start();
    await waitFor(() => again.outcomes.some((o) => o.code === 'RELEASE_PINNED'), 'the old announcement refused as pinned');
    expect(host.info()?.version).toBe('1.1.0');

    // A release published after the pin is taken.
    const later = copyRelease(NEW, (m) => (m.version = '1.1.2'));
    cleanups.push(() => later.remove());
    await publish(later.dir);
    await waitFor(() => host.info()?.version === '1.1.2', 'a newer release after the pin', 30_000);
  });
});
