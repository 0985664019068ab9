/**
 * The broker ACL (cloud-sync/broker/acl.ts) on a real Mosquitto with password log-ins: the
 * protocol runs end to end under it, and a device can neither read nor write another device's
 * topics. Mosquitto grants a forbidden SUBSCRIBE and then delivers nothing, so the checks are on
 * what arrives and what HQ stored, not on a SUBACK; a forbidden PUBLISH is also refused in its
 * PUBACK (reason 0x87), which is checked too, but a client that ignores it must still get nowhere.
 * With a permissive line added to the ACL, both kinds of check fail.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceUsername, mosquittoAcl } from '../../cloud-sync/broker/acl.ts';
import { SyncAgent } from '../../cloud-sync/agent/agent.ts';
import { encodeBatch } from '../../cloud-sync/agent/batch-builder.ts';
import { IngestWorker } from '../../cloud-sync/hq/ingest-worker.ts';
import { createMemoryLogger } from '../../cloud-sync/log.ts';
import { announceTopic, deviceTopic, publishProperties, releaseTopicFilters } from '../../cloud-sync/protocol/index.ts';
import { MosquittoBroker } from '../helpers/mosquitto.ts';
import { gradeInto, openDeviceStore, removeDeviceStore } from './helpers/device-store.ts';
import { makeRecord, testSigningKey, TrustingSqliteHqStore } from './helpers/records.ts';
import { fastSyncSettings } from './helpers/settings.ts';
import { sleep, waitFor } from './helpers/wait.ts';

const key = testSigningKey();
const deviceA = { storeId: 'store-a', deviceId: 'dev-1' };
const deviceB = { storeId: 'store-a', deviceId: 'dev-2' };
const otherStore = { storeId: 'store-b', deviceId: 'dev-9' };
const PASSWORDS: Record<string, string> = { hq: 'hq-secret', [deviceUsername(deviceA)]: 'a-secret', [deviceUsername(deviceB)]: 'b-secret', [deviceUsername(otherStore)]: 'c-secret' };
const dir = mkdtempSync(join(tmpdir(), 'loupe-acl-'));
let broker: MosquittoBroker;

function client(username: string | undefined, password: string | undefined): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(broker.url, { protocolVersion: 5, clean: true, reconnectPeriod: 0, connectTimeout: 5000, username, password });
    c.once('connect', () => resolve(c));
    c.once('error', (error) => {
      c.end(true);
      reject(error);
    });
  });
}

/** Everything a client receives on `filters` from now on. */
async function listen(c: MqttClient, filters: string[]): Promise<Array<{ topic: string; payload: string }>> {
  const got: Array<{ topic: string; payload: string }> = [];
  c.on('message', (topic, payload) => got.push({ topic, payload: payload.toString() }));
  await c.subscribeAsync(filters, { qos: 1 });
  return got;
}

beforeAll(async () => {
  const passwordFile = join(dir, 'passwords');
  writeFileSync(passwordFile, '');
  for (const [user, password] of Object.entries(PASSWORDS)) execFileSync('/usr/bin/mosquitto_passwd', ['-b', passwordFile, user, password]);
  const aclFile = join(dir, 'acl');
  writeFileSync(aclFile, mosquittoAcl(['hq']));
  broker = new MosquittoBroker({ auth: { passwordFile, aclFile } });
  await broker.start();
});
afterAll(async () => {
  await broker.remove();
  rmSync(dir, { recursive: true, force: true });
});

describe('broker ACL, on a real Mosquitto with log-ins', () => {
  it('refuses a client without a log-in or with a wrong password', async () => {
    await expect(client(undefined, undefined)).rejects.toThrow(/Not authorized|Bad User Name or Password/i);
    await expect(client(deviceUsername(deviceA), 'wrong')).rejects.toThrow(/Not authorized|Bad User Name or Password/i);
  });

  it('lets the protocol run under it, and no other device sees or forges any of it', async () => {
    const device = openDeviceStore();
    const hqStore = new TrustingSqliteHqStore(join(mkdtempSync(join(dir, 'hq-')), 'hq.db'), [{ ...deviceA, key }]);
    const agent = new SyncAgent({
      outbox: device.outbox,
      identity: deviceA,
      settings: fastSyncSettings(broker.url, { username: deviceUsername(deviceA), password: PASSWORDS[deviceUsername(deviceA)] }),
      logger: createMemoryLogger(),
      modelVersion: () => 'loupe-rb@1.1.1',
    });
    const hq = new IngestWorker({ brokerUrl: broker.url, store: hqStore, logger: createMemoryLogger(), backoff: { baseMs: 50, maxMs: 500 }, username: 'hq', password: PASSWORDS.hq });
    // A neighbour in the same store and a device of another store, listening to all they can name.
    const neighbour = await client(deviceUsername(deviceB), PASSWORDS[deviceUsername(deviceB)]);
    const stranger = await client(deviceUsername(otherStore), PASSWORDS[deviceUsername(otherStore)]);
    try {
      const neighbourGot = await listen(neighbour, ['loupe/v1/#', deviceTopic('ack', deviceA), deviceTopic('grades', deviceA), deviceTopic('status', deviceA)]);
      const strangerGot = await listen(stranger, ['#', '$share/hq/loupe/v1/+/+/grades']);
      const records = gradeInto(device, 50, { ...deviceA, key });
      await hqStore.open();
      hq.start();
      await waitFor(() => hq.state === 'online', 'HQ online');
      agent.start();
      await waitFor(() => device.outbox.backlog().count === 0, 'outbox drained through HQ acks', 30_000);
      expect((await hqStore.listGrades({ deviceId: deviceA.deviceId, limit: 100 })).map((r) => r.id)).toEqual(records.map((r) => r.id));
      await waitFor(async () => (await hqStore.listDevices()).find((d) => d.deviceId === deviceA.deviceId && d.state === 'online'), 'status at HQ');

      // The neighbour forges a batch on dev-1's topic, and writes dev-1's status and acks.
      const forged = makeRecord({ ...deviceA, key, i: 999 });
      const batchId = '0190c0de-0000-7000-8000-000000000001';
      const payload = encodeBatch({ batchId, ...deviceA, sentAt: new Date().toISOString(), attempt: 1, seqs: [999_999] }, [JSON.stringify(forged)]);
      // Mosquitto refuses each in its PUBACK (MQTT 5 reason 0x87); what counts is that nothing arrives below.
      const refused = /Not authorized/;
      await expect(neighbour.publishAsync(deviceTopic('grades', deviceA), payload, { qos: 1, properties: publishProperties('grades', { responseTopic: deviceTopic('ack', deviceB), correlationId: batchId }) })).rejects.toThrow(refused);
      await expect(neighbour.publishAsync(deviceTopic('status', deviceA), '{"forged":true}', { qos: 1, retain: true })).rejects.toThrow(refused);
      await expect(neighbour.publishAsync(deviceTopic('ack', deviceA), '{"forged":true}', { qos: 1 })).rejects.toThrow(refused);
      await sleep(1500);

      expect(neighbourGot).toEqual([]);
      expect(strangerGot).toEqual([]);
      const atHq = await hqStore.listGrades({ deviceId: deviceA.deviceId, limit: 200 });
      expect(atHq).toHaveLength(50);
      expect(atHq.map((r) => r.id)).not.toContain(forged.id);
      const status = (await hqStore.listDevices()).find((d) => d.deviceId === deviceA.deviceId)!;
      expect(status.state).toBe('online');
      expect(agent.status()).toMatchObject({ state: 'online', backlog: 0, ackedRecords: 50 });
    } finally {
      neighbour.end(true);
      stranger.end(true);
      await agent.stop();
      await hq.stop();
      await hqStore.close();
      removeDeviceStore(device);
    }
  });

  it('lets HQ publish a model release that every device reads, and no device publish one', async () => {
    const hq = await client('hq', PASSWORDS.hq);
    const device = await client(deviceUsername(deviceA), PASSWORDS[deviceUsername(deviceA)]);
    const other = await client(deviceUsername(otherStore), PASSWORDS[deviceUsername(otherStore)]);
    try {
      const deviceGot = await listen(device, [releaseTopicFilters.announcements]);
      const otherGot = await listen(other, [releaseTopicFilters.announcements]);
      await hq.publishAsync(announceTopic('acl-test'), '{"from":"hq"}', { qos: 1 });
      await expect(device.publishAsync(announceTopic('acl-test'), '{"from":"a device"}', { qos: 1, retain: true })).rejects.toThrow(/Not authorized/);
      await waitFor(() => deviceGot.length > 0 && otherGot.length > 0, 'the announcement at both devices');
      await sleep(500);
      expect(deviceGot).toEqual([{ topic: announceTopic('acl-test'), payload: '{"from":"hq"}' }]);
      expect(otherGot).toEqual([{ topic: announceTopic('acl-test'), payload: '{"from":"hq"}' }]);
    } finally {
      hq.end(true);
      device.end(true);
      other.end(true);
    }
  });

  it('renders the ACL from the protocol: HQ gets the wildcards, a device its own topics by username', () => {
    const acl = mosquittoAcl(['hq', 'hq-2']);
    expect(acl).toContain('user hq-2\ntopic read loupe/v1/+/+/grades');
    expect(acl).toContain('pattern write loupe/v1/%u/grades');
    expect(acl).toContain('pattern read loupe/v1/%u/ack');
    expect(acl).toContain('pattern readwrite loupe/v1/%u/release');
    expect(acl).toContain('pattern read loupe/releases/v1/#');
    expect(acl).not.toMatch(/pattern (write|readwrite) loupe\/releases/);
    expect(acl).not.toMatch(/pattern (read|readwrite) loupe\/v1\/%u\/grades/);
    expect(deviceUsername(deviceA)).toBe('store-a/dev-1');
    expect(() => deviceUsername({ storeId: 'a/b', deviceId: 'c' })).toThrow(/topic level/);
    expect(() => mosquittoAcl([])).toThrow(/HQ username/);
    expect(() => mosquittoAcl(['hq\ntopic readwrite #'])).toThrow(/HQ username/);
  });
});
