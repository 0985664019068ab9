/** The `loupe hq …` commands as a user runs them: the real CLI in a child process. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HqProcess, LOUPE_BIN, REPO_ROOT } from '../../cloud-sync/bench/hq-process.ts';
import { SqliteHqStore } from '../../cloud-sync/hq/store/sqlite-store.ts';
import { MosquittoBroker } from '../helpers/mosquitto.ts';
import { mosquittoPub } from './helpers/mqtt-cli.ts';
import { makeRecord, testSigningKey } from './helpers/records.ts';
import { waitFor } from './helpers/wait.ts';

const exec = promisify(execFile);
const loupe = (args: string[]) =>
  exec(process.execPath, [LOUPE_BIN, ...args], { cwd: REPO_ROOT, timeout: 30_000 }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

const broker = new MosquittoBroker();
beforeAll(async () => broker.start());
afterAll(async () => broker.remove());

describe('loupe hq', () => {
  it('serve records a device status; devices and grades list what HQ holds; SIGTERM stops it cleanly', async () => {
    const data = mkdtempSync(join(tmpdir(), 'loupe-hq-cli-'));
    const key = testSigningKey();
    const address = { storeId: 'store-cli', deviceId: 'dev-cli' };
    const seeded = new SqliteHqStore(join(data, 'hq.db'));
    await seeded.open();
    const records = [0, 1, 2].map((i) => ({ seq: i + 1, record: makeRecord({ ...address, key, i }) }));
    await seeded.commitBatch({ batchId: 'seed', ...address, records, receivedAt: new Date().toISOString() });
    await seeded.close();

    const hq = new HqProcess({ brokerUrl: broker.url, dataDir: data });
    await hq.start();
    const status = { schema: 'loupe.sync.status/v1', ...address, state: 'online', at: new Date().toISOString(), backlog: 17, oldestUnsentAgeS: 3.5, modelVersion: 'loupe-rb@1.0.0' };
    await mosquittoPub({ port: broker.port, topic: 'loupe/v1/store-cli/dev-cli/status', message: JSON.stringify(status), retain: true });
    await waitFor(async () => (await loupe(['hq', 'devices', '--data', data])).stdout.includes('online'), 'the status in hq devices');

    const devices = await loupe(['hq', 'devices', '--data', data]);
    expect(devices.code).toBe(0);
    expect(devices.stdout).toMatch(/^STORE\s+DEVICE\s+STATE\s+BACKLOG/m);
    expect(devices.stdout).toMatch(/store-cli\s+dev-cli\s+online\s+17\s+3.5s\s+loupe-rb@1.0.0\s+3\s+none\s/);

    const grades = await loupe(['hq', 'grades', '--data', data, '--store', 'store-cli']);
    expect(grades.code).toBe(0);
    const lines = grades.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(records[0].record.id);
    expect(lines[3]).toContain(records[2].record.id);
    const json = JSON.parse((await loupe(['hq', 'grades', '--data', data, '--store', 'store-cli', '--json', '--limit', '2'])).stdout);
    expect(json.grades.map((g: { id: string }) => g.id)).toEqual(records.slice(0, 2).map((r) => r.record.id));
    expect((await loupe(['hq', 'grades', '--data', data, '--store', 'nowhere'])).stdout).toBe('no grades for store nowhere\n');

    await hq.stop();
    expect(hq.events('hq.stopped')).toHaveLength(1);
    await mosquittoPub({ port: broker.port, topic: 'loupe/v1/store-cli/dev-cli/status', empty: true, retain: true });
    rmSync(data, { recursive: true, force: true });
  });

  it.each([
    [['hq', 'grades', '--data', '/tmp'], /\[CONFIG_INVALID\] --store S is required/],
    [['hq', 'grades', '--store', 's', '--limit', 'many'], /--limit "many": expected a whole number/],
    [['hq', 'devices', '--db', 'mysql://x'], /expected sqlite:PATH or postgres:\/\//],
    [['hq', 'serve', '--bogus'], /\[CONFIG_INVALID\] Unknown option '--bogus'/],
    [['hq', 'serve', '--broker', 'http://x'], /brokerUrl: expected mqtt:\/\//],
  ])('%j fails with a code and a reason', async (args, message) => {
    const r = await loupe(args as string[]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
  });

  it('refuses a malformed hq.json with the path of the bad key', async () => {
    const data = mkdtempSync(join(tmpdir(), 'loupe-hq-cli-'));
    writeFileSync(join(data, 'hq.json'), JSON.stringify({ brokerUrl: 'mqtt://127.0.0.1:1', backoff: { baseMs: 'soon' } }));
    const r = await loupe(['hq', 'devices', '--data', data]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/backoff\.baseMs/);
    rmSync(data, { recursive: true, force: true });
  });

  it('keys: a device prints its identity, HQ trusts it from that file, lists it, revokes it, and will not take it back', async () => {
    const device = mkdtempSync(join(tmpdir(), 'loupe-device-id-'));
    const data = mkdtempSync(join(tmpdir(), 'loupe-hq-keys-'));
    writeFileSync(join(device, 'config.json'), JSON.stringify({ version: 2, identity: { deviceId: 'counter-1', storeId: 'store-keys' } }));
    const shown = await loupe(['identity', '--data', device]);
    expect(shown.code).toBe(0);
    const identityJson = await loupe(['identity', '--data', device, '--json']);
    const identity = JSON.parse(identityJson.stdout);
    expect(identity).toMatchObject({ deviceId: 'counter-1', storeId: 'store-keys', keyId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(shown.stdout).toContain(`key id   ${identity.keyId}`);
    expect(shown.stdout).toContain('loupe hq keys add --identity');
    const file = join(data, 'counter-1.json');
    writeFileSync(file, identityJson.stdout);

    expect((await loupe(['hq', 'keys', 'list', '--data', data])).stdout).toMatch(/trusts no device keys yet/);
    const added = await loupe(['hq', 'keys', 'add', '--data', data, '--identity', file]);
    expect(added).toMatchObject({ code: 0, stdout: `added: store-keys/counter-1 key ${identity.keyId}\n` });
    expect((await loupe(['hq', 'keys', 'add', '--data', data, '--identity', file])).stdout).toMatch(/^already trusted: /);
    const status = { schema: 'loupe.sync.status/v1', storeId: 'store-keys', deviceId: 'counter-1', state: 'online', at: new Date().toISOString(), backlog: 0, oldestUnsentAgeS: null, modelVersion: null };
    const seeded = new SqliteHqStore(join(data, 'hq.db'));
    await seeded.open();
    await seeded.recordStatus(status as Parameters<typeof seeded.recordStatus>[0]);
    await seeded.close();
    const withKeys = JSON.parse((await loupe(['hq', 'devices', '--data', data, '--json'])).stdout);
    expect(withKeys.devices).toMatchObject([{ deviceId: 'counter-1', trustedKeys: 1 }]);
    expect((await loupe(['hq', 'keys', 'list', '--data', data])).stdout).toMatch(new RegExp(`store-keys\\s+counter-1\\s+${identity.keyId}\\s+trusted`));

    const edited = join(data, 'edited.json');
    writeFileSync(edited, JSON.stringify({ ...identity, deviceId: 'counter-2', keyId: 'ffffffffffffffff' }));
    const refused = await loupe(['hq', 'keys', 'add', '--data', data, '--identity', file, '--identity', edited]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/\[DEVICE_KEY_INVALID\] .*edited\.json: keyId ffffffffffffffff does not belong/);
    const afterRefusal = JSON.parse((await loupe(['hq', 'keys', 'list', '--data', data, '--json'])).stdout);
    expect(afterRefusal.keys.map((k: { deviceId: string }) => k.deviceId)).toEqual(['counter-1']); // nothing of the bad pair was added

    const revoked = await loupe(['hq', 'keys', 'revoke', '--data', data, '--store', 'store-keys', '--device', 'counter-1', '--key-id', identity.keyId]);
    expect(revoked.code).toBe(0);
    expect((await loupe(['hq', 'keys', 'list', '--data', data])).stdout).toMatch(/counter-1\s+\S+\s+revoked/);
    const again = await loupe(['hq', 'keys', 'revoke', '--data', data, '--store', 'store-keys', '--device', 'counter-1', '--key-id', identity.keyId]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/\[DEVICE_KEY_NOT_FOUND\]/);
    const readd = await loupe(['hq', 'keys', 'add', '--data', data, '--identity', file]);
    expect(readd.code).toBe(1);
    expect(readd.stderr).toMatch(/\[DEVICE_KEY_REVOKED\] store-keys\/counter-1 key \w+ was revoked and stays revoked/);
    rmSync(device, { recursive: true, force: true });
    rmSync(data, { recursive: true, force: true });
  });

  it.each([
    [['hq', 'keys', 'add', '--data', '/tmp/loupe-no-such-hq'], /\[CONFIG_INVALID\] --identity FILE is required/],
    [['hq', 'keys', 'add', '--data', '/tmp/loupe-no-such-hq', '--identity', '/nonexistent/device.json'], /\[DEVICE_KEY_INVALID\] cannot read \/nonexistent\/device\.json/],
    [['hq', 'keys', 'revoke', '--data', '/tmp/loupe-no-such-hq', '--store', 's'], /\[CONFIG_INVALID\] --store S --device D --key-id K are all required/],
  ])('%j fails with a code and a reason', async (args, message) => {
    const r = await loupe(args as string[]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(message);
  });
});
