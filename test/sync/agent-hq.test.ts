/**
 * The device agent and an HQ ingest worker in this process, over a real Mosquitto broker, with
 * the real SQLite outbox (device/store) and the real SQLite HQ store.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SyncAgent } from '../../cloud-sync/agent/agent.ts';
import { IngestWorker } from '../../cloud-sync/hq/ingest-worker.ts';
import { SqliteHqStore } from '../../cloud-sync/hq/store/sqlite-store.ts';
import { createMemoryLogger } from '../../cloud-sync/log.ts';
import { deviceTopic } from '../../cloud-sync/protocol/index.ts';
import type { GradeStore } from '../../device/store/grade-store.ts';
import { MosquittoBroker } from '../helpers/mosquitto.ts';
import { gradeInto, openDeviceStore, removeDeviceStore } from './helpers/device-store.ts';
import { mosquittoPub } from './helpers/mqtt-cli.ts';
import { makeRecord, testSigningKey, trustKey, TrustingSqliteHqStore } from './helpers/records.ts';
import { fastSyncSettings } from './helpers/settings.ts';
import { sleep, waitFor } from './helpers/wait.ts';

const key = testSigningKey();
const broker = new MosquittoBroker();
const scratch = mkdtempSync(join(tmpdir(), 'loupe-sync-scratch-'));
let cleanups: Array<() => Promise<void> | void> = [];
let n = 0;

beforeAll(async () => broker.start());
afterAll(async () => {
  await broker.remove();
  rmSync(scratch, { recursive: true, force: true });
});
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

/** `trusted: false` leaves the device's key unregistered at HQ. */
function setup(overrides: Record<string, unknown> = {}, options: { trusted?: boolean; rejectedRetryMs?: number } = {}) {
  const address = { storeId: 'store-t', deviceId: `dev-${process.pid}-${++n}` };
  const device = openDeviceStore();
  const hqFile = join(mkdtempSync(join(tmpdir(), 'loupe-hq-')), 'hq.db');
  const hqStore = options.trusted === false ? new SqliteHqStore(hqFile) : new TrustingSqliteHqStore(hqFile, [{ ...address, key }]);
  const agentLog = createMemoryLogger();
  const hqLog = createMemoryLogger();
  const agent = new SyncAgent({
    outbox: device.outbox,
    identity: address,
    settings: fastSyncSettings(broker.url, overrides),
    logger: agentLog,
    modelVersion: () => 'loupe-rb@1.0.0',
    rejectedRetryMs: options.rejectedRetryMs,
  });
  const hq = new IngestWorker({ brokerUrl: broker.url, store: hqStore, logger: hqLog, backoff: { baseMs: 50, maxMs: 500 } });
  cleanups.push(async () => {
    await agent.stop();
    await hq.stop();
    await hqStore.close();
    removeDeviceStore(device);
    rmSync(dirname(hqStore.file), { recursive: true, force: true });
  });
  return { address, device, hqStore, agent, hq, agentLog, hqLog };
}

const backlog = (device: GradeStore) => device.outbox.backlog().count;

describe('agent ↔ HQ over a real broker', () => {
  it('drains a 400-grade backlog in batches: each grade once at HQ, in device order, outbox empty', async () => {
    const { address, device, hqStore, agent, hq } = setup();
    const records = gradeInto(device, 400, { ...address, key });
    await hqStore.open();
    hq.start();
    await waitFor(() => hq.state === 'online', 'HQ online');
    agent.start();
    await waitFor(() => backlog(device) === 0, 'outbox drained', 30_000);
    const rows = await hqStore.listGrades({ deviceId: address.deviceId, limit: 5000 });
    expect(rows.map((r) => r.id)).toEqual(records.map((r) => r.id));
    expect(new Set(rows.map((r) => r.batchId)).size).toBeLessThanOrEqual(8); // batched (100 a batch), not one by one
    expect(rows.map((r) => r.deviceSeq)).toEqual([...rows.map((r) => r.deviceSeq)].sort((a, b) => a - b));
    expect(agent.status()).toMatchObject({ state: 'online', backlog: 0, inFlightBatches: 0, ackedRecords: 400 });
    // The retained status reached HQ too.
    await waitFor(async () => (await hqStore.listDevices()).find((d) => d.deviceId === address.deviceId && d.state === 'online' && d.backlog === 0), 'status at HQ');
  });

  it('keeps rows while no HQ listens (PUBACK is not enough), then drains when HQ comes', async () => {
    const { address, device, hqStore, agent, hq, agentLog } = setup();
    gradeInto(device, 30, { ...address, key });
    agent.start();
    await waitFor(() => agent.status().sentBatches > 0 && !agent.status().hqListening, 'a batch sent with no subscriber');
    await new Promise((r) => setTimeout(r, 500));
    expect(backlog(device)).toBe(30);
    expect(agentLog.entries.some((e) => e.event === 'sync.hq_not_listening')).toBe(true);
    await hqStore.open();
    hq.start();
    await waitFor(() => backlog(device) === 0, 'drained after HQ started');
    expect(await hqStore.countGrades({ deviceId: address.deviceId })).toBe(30);
  });

  it('leaves a record HQ rejects in the outbox, reports it, and sends the rest', async () => {
    const { address, device, hqStore, agent, hq } = setup();
    const [first, ...rest] = gradeInto(device, 5, { ...address, key });
    await hqStore.open();
    // HQ already holds a different record under the first id: it must refuse the device's one.
    const forged = { ...first, carat: { ...first.carat, value: 42 } };
    await hqStore.commitBatch({ batchId: 'x', ...address, records: [{ seq: 1, record: forged }], receivedAt: new Date().toISOString() });
    hq.start();
    agent.start();
    await waitFor(() => backlog(device) === 1, 'all but the conflicting record acked');
    expect(device.outbox.peek(5).map((e) => e.recordId)).toEqual([first.id]);
    expect(agent.status().rejected).toEqual([expect.objectContaining({ id: first.id, code: 'RECORD_CONFLICT' })]);
    for (const r of rest) expect((await hqStore.listGrades({ deviceId: address.deviceId })).some((g) => g.id === r.id)).toBe(true);
  });

  it('sends a lone grade after the linger time, not only when a batch is full', async () => {
    const { address, device, hqStore, agent, hq } = setup({ batch: { maxRecords: 500, lingerMs: 200 } });
    await hqStore.open();
    hq.start();
    agent.start();
    await waitFor(() => agent.status().state === 'online', 'agent online');
    gradeInto(device, 1, { ...address, key });
    agent.notify();
    await waitFor(() => backlog(device) === 0, 'lone grade acked', 5000);
    expect(agent.status().sentBatches).toBe(1);
  });

  it('drops malformed acks with a log line naming the topic, and keeps working', async () => {
    const { address, device, hqStore, agent, hq, agentLog } = setup();
    agent.start();
    await waitFor(() => agent.status().state === 'online', 'agent online');
    const topic = deviceTopic('ack', address);
    const huge = join(scratch, `huge-${++n}.bin`);
    writeFileSync(huge, Buffer.alloc(5 * 1024 * 1024, 0x7b));
    const goodShape = { schema: 'loupe.sync.ack/v1', batchId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', deviceId: address.deviceId, committed: [], rejected: [], hqAt: new Date().toISOString() };
    await mosquittoPub({ port: broker.port, topic, message: '{"batchId": ' });
    await mosquittoPub({ port: broker.port, topic, message: JSON.stringify({ ...goodShape, committed: 'all of them' }) });
    await mosquittoPub({ port: broker.port, topic, file: huge });
    await mosquittoPub({ port: broker.port, topic, empty: true });
    await mosquittoPub({ port: broker.port, topic, qos: 0, message: '[]' });
    await mosquittoPub({ port: broker.port, topic, message: JSON.stringify(goodShape), correlationData: 'another-batch' });
    const expected = ['PAYLOAD_NOT_JSON', 'PAYLOAD_INVALID', 'PAYLOAD_TOO_LARGE', 'PAYLOAD_EMPTY', 'PAYLOAD_INVALID', 'CORRELATION_MISMATCH'];
    await waitFor(() => agentLog.entries.filter((e) => e.event === 'sync.payload_dropped').length >= expected.length, 'six drop lines');
    const drops = agentLog.entries.filter((e) => e.event === 'sync.payload_dropped');
    expect(drops.map((d) => d.code)).toEqual(expected);
    for (const d of drops) expect(d.topic).toBe(topic);
    // Still alive and draining.
    gradeInto(device, 3, { ...address, key });
    await hqStore.open();
    hq.start();
    await waitFor(() => backlog(device) === 0, 'drained after the junk');
  });

  it('a batch HQ never acked is resent after the ack timeout (duplicates are harmless)', async () => {
    const { address, device, hqStore, agent, hq } = setup({ ackTimeoutMs: 300 });
    gradeInto(device, 10, { ...address, key });
    // A subscriber that swallows batches: the broker PUBACKs, nobody acks.
    const blackhole = new IngestWorker({ brokerUrl: broker.url, store: { commitBatch: () => new Promise(() => undefined) } as never, logger: createMemoryLogger(), operationTimeoutMs: 500, signatures: 'off' });
    blackhole.start();
    cleanups.push(() => blackhole.stop());
    await waitFor(() => blackhole.state === 'online', 'blackhole online');
    agent.start();
    await waitFor(() => agent.status().resentBatches >= 1, 'a resend');
    expect(backlog(device)).toBe(10);
    await blackhole.stop();
    await hqStore.open();
    hq.start();
    await waitFor(() => backlog(device) === 0, 'drained by the real HQ');
    expect(await hqStore.countGrades({ deviceId: address.deviceId })).toBe(10);
  });
});

describe('persistent session', () => {
  it('an ack HQ sent while the device was away waits in its session and clears the outbox on return', async () => {
    const { address, device, hqStore, hqLog } = setup();
    const records = gradeInto(device, 5, { ...address, key });
    await hqStore.open();
    // HQ's store holds the first commit until we open the gate, and never answers again after it,
    // so the only ack the device can get is the one queued while it was away.
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let commits = 0;
    const gatedStore = {
      ...hqStore,
      kind: hqStore.kind,
      recordStatus: (st: Parameters<typeof hqStore.recordStatus>[0]) => hqStore.recordStatus(st),
      listDeviceKeys: (filter: Parameters<typeof hqStore.listDeviceKeys>[0]) => hqStore.listDeviceKeys(filter),
      commitBatch: async (batch: Parameters<typeof hqStore.commitBatch>[0]) => {
        if (commits++ > 0) return new Promise<never>(() => undefined);
        await gate;
        return hqStore.commitBatch(batch);
      },
    } as typeof hqStore;
    const hq = new IngestWorker({ brokerUrl: broker.url, store: gatedStore, logger: hqLog, operationTimeoutMs: 500 });
    hq.start();
    cleanups.push(() => hq.stop());
    await waitFor(() => hq.state === 'online', 'HQ online');
    const settings = fastSyncSettings(broker.url, { ackTimeoutMs: 60_000 });
    const first = new SyncAgent({ outbox: device.outbox, identity: address, settings, logger: createMemoryLogger(), modelVersion: () => null });
    first.start();
    await waitFor(() => commits === 1, 'the batch reached HQ');
    await first.stop();
    openGate();
    await waitFor(() => hq.counters.batches === 1, 'HQ committed and acked while the device was away');
    expect(device.outbox.backlog().count).toBe(5);
    const second = new SyncAgent({ outbox: device.outbox, identity: address, settings, logger: createMemoryLogger(), modelVersion: () => null });
    cleanups.push(() => second.stop());
    second.start();
    await waitFor(() => device.outbox.backlog().count === 0, 'the queued ack delivered on reconnect');
    expect(second.status().ackedRecords).toBe(5);
    expect((await hqStore.listGrades({ deviceId: address.deviceId })).map((g) => g.id)).toEqual(records.map((r) => r.id));
  });
});

describe('agent shutdown never hangs on the broker (MQTT.js #1987)', () => {
  it('stops within its timeouts while the broker is frozen mid-session', async () => {
    const frozen = new MosquittoBroker();
    await frozen.start();
    try {
      const address = { storeId: 'store-t', deviceId: `dev-frozen-${process.pid}` };
      const device = openDeviceStore();
      gradeInto(device, 20, { ...address, key });
      const agent = new SyncAgent({ outbox: device.outbox, identity: address, settings: fastSyncSettings(frozen.url, { operationTimeoutMs: 800 }), logger: createMemoryLogger(), modelVersion: () => null });
      agent.start();
      await waitFor(() => agent.status().state === 'online', 'agent online');
      process.kill(frozen.pid!, 'SIGSTOP');
      gradeInto(device, 5, { ...address, key });
      agent.notify();
      const t0 = Date.now();
      await agent.stop();
      const took = Date.now() - t0;
      expect(took).toBeLessThan(4000);
      expect(device.outbox.backlog().count).toBe(25); // nothing was acked, nothing lost
      removeDeviceStore(device);
    } finally {
      process.kill(frozen.pid!, 'SIGCONT');
      await frozen.remove();
    }
  });

  it('stops at once when the broker was never reachable', async () => {
    const address = { storeId: 'store-t', deviceId: 'dev-nobroker' };
    const device = openDeviceStore();
    const agent = new SyncAgent({ outbox: device.outbox, identity: address, settings: fastSyncSettings('mqtt://127.0.0.1:1'), logger: createMemoryLogger(), modelVersion: () => null });
    agent.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(agent.status().state).not.toBe('online');
    const t0 = Date.now();
    await agent.stop();
    expect(Date.now() - t0).toBeLessThan(3000);
    removeDeviceStore(device);
  });
});

describe('HQ drops malformed batches and statuses with a log line, and keeps ingesting', () => {
  it('on every topic it subscribes to', async () => {
    const { address, device, hqStore, agent, hq, hqLog } = setup();
    await hqStore.open();
    hq.start();
    await waitFor(() => hq.state === 'online', 'HQ online');
    const grades = deviceTopic('grades', address);
    const status = deviceTopic('status', address);
    const huge = join(scratch, `huge-${++n}.bin`);
    writeFileSync(huge, Buffer.alloc(17 * 1024 * 1024, 0x20));
    const otherDevice = makeRecord({ storeId: 'store-t', deviceId: 'someone-else', key });
    const badRecordBatch = { schema: 'loupe.sync.grades/v1', batchId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', ...address, sentAt: new Date().toISOString(), attempt: 1, seqs: [1], records: [otherDevice] };
    await mosquittoPub({ port: broker.port, topic: grades, message: 'not json at all' });
    await mosquittoPub({ port: broker.port, topic: grades, message: JSON.stringify({ schema: 'loupe.sync.grades/v1', batchId: 12, records: {} }) });
    await mosquittoPub({ port: broker.port, topic: grades, file: huge });
    await mosquittoPub({ port: broker.port, topic: grades, empty: true });
    await mosquittoPub({ port: broker.port, topic: grades, qos: 0, message: '{}' });
    await mosquittoPub({ port: broker.port, topic: status, message: '{"state": 3}', retain: true });
    await mosquittoPub({ port: broker.port, topic: status, message: '\u0001\u0002' });
    await mosquittoPub({ port: broker.port, topic: grades, message: JSON.stringify(badRecordBatch) });
    await waitFor(() => hqLog.entries.filter((e) => e.event === 'hq.payload_dropped').length >= 7, 'seven drop lines');
    await waitFor(() => hqLog.entries.some((e) => e.event === 'hq.record_rejected'), 'the foreign record rejected');
    const drops = hqLog.entries.filter((e) => e.event === 'hq.payload_dropped');
    expect(drops.map((d) => d.code)).toEqual(['PAYLOAD_NOT_JSON', 'PAYLOAD_INVALID', 'PAYLOAD_TOO_LARGE', 'PAYLOAD_EMPTY', 'PAYLOAD_INVALID', 'PAYLOAD_INVALID', 'PAYLOAD_NOT_JSON']);
    expect(drops.map((d) => d.topic)).toEqual([grades, grades, grades, grades, grades, status, status]);
    expect(hqLog.entries.find((e) => e.event === 'hq.record_rejected')).toMatchObject({ code: 'RECORD_DEVICE_MISMATCH', recordId: otherDevice.id });
    expect(await hqStore.countGrades()).toBe(0);
    // Every refusal went back as a valid MQTT 5 PUBACK reason code: MQTT.js raises no error.
    expect(hqLog.entries.filter((e) => e.event === 'mqtt.error')).toEqual([]);
    await mosquittoPub({ port: broker.port, topic: status, empty: true, retain: true }); // clear the retained junk
    gradeInto(device, 4, { ...address, key });
    agent.start();
    await waitFor(() => backlog(device) === 0, 'real grades still flow');
    expect(await hqStore.countGrades({ deviceId: address.deviceId })).toBe(4);
  });
});

describe('record signatures at HQ', () => {
  it('pauses a device whose key HQ has not registered, keeps its grades, says why, and drains them once the key is trusted', async () => {
    const { address, device, hqStore, agent, hq } = setup({ window: 1, batch: { maxRecords: 50, lingerMs: 20 }, refusedRetryMs: 1500 }, { trusted: false });
    const records = gradeInto(device, 200, { ...address, key });
    await hqStore.open();
    hq.start();
    await waitFor(() => hq.state === 'online', 'HQ online');
    agent.start();
    await waitFor(() => agent.status().refusedByHq !== null, 'the device refused');
    expect(agent.status().refusedByHq).toMatchObject({ code: 'SIGNATURE_KEY_UNKNOWN', reason: expect.stringMatching(/loupe hq keys add/) });
    await sleep(500);
    // One batch was refused; the device then sends nothing new while it waits, rather than cycling its outbox.
    expect(hq.counters.signatureRejections).toBe(50);
    expect(await hqStore.countGrades()).toBe(0);
    expect(backlog(device)).toBe(200);
    await waitFor(async () => (await hqStore.listDevices()).find((d) => d.deviceId === address.deviceId)?.statusReason?.includes('SIGNATURE_KEY_UNKNOWN'), "the reason in HQ's device list");
    expect(await trustKey(hqStore, address, key)).toBe('added');
    await waitFor(() => backlog(device) === 0, 'drained once the pause ends', 15_000);
    expect((await hqStore.listGrades({ deviceId: address.deviceId, limit: 500 })).map((r) => r.id)).toEqual(records.map((r) => r.id));
    expect(agent.status().refusedByHq).toBeNull();
  });

  it('commits only what the trusted key signed: a record changed after signing, one signed by another key and one by a revoked key are refused', async () => {
    const { address, hqStore, hq, hqLog } = setup();
    await hqStore.open();
    const stranger = testSigningKey();
    const retired = testSigningKey();
    await trustKey(hqStore, address, retired);
    expect(await hqStore.revokeDeviceKey({ ...address, keyId: retired.keyId }, new Date().toISOString())).toBe(true);
    hq.start();
    await waitFor(() => hq.state === 'online', 'HQ online');
    const good = makeRecord({ ...address, key, i: 1 });
    const signed = makeRecord({ ...address, key, i: 2 });
    const changed = { ...signed, carat: { ...signed.carat, value: signed.carat.value * 2 } };
    const foreign = makeRecord({ ...address, key: stranger, i: 3 });
    const revoked = makeRecord({ ...address, key: retired, i: 4 });
    const batch = { schema: 'loupe.sync.grades/v1', batchId: randomUUID(), ...address, sentAt: new Date().toISOString(), attempt: 1, seqs: [1, 2, 3, 4], records: [good, changed, foreign, revoked] };
    await mosquittoPub({ port: broker.port, topic: deviceTopic('grades', address), message: JSON.stringify(batch) });
    await waitFor(() => hq.counters.batches === 1, 'the batch handled');
    const codes = Object.fromEntries(hqLog.entries.filter((e) => e.event === 'hq.record_rejected').map((e) => [e.recordId, e.code]));
    expect(codes).toEqual({ [changed.id]: 'SIGNATURE_INVALID', [foreign.id]: 'SIGNATURE_KEY_UNKNOWN', [revoked.id]: 'SIGNATURE_KEY_REVOKED' });
    expect((await hqStore.listGrades({ deviceId: address.deviceId })).map((r) => r.id)).toEqual([good.id]);
    expect(hq.counters).toMatchObject({ committedRecords: 1, rejectedRecords: 3, signatureRejections: 3 });
  });
});
