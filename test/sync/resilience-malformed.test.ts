/**
 * Scenario 5, malformed payloads: mosquitto_pub sends bad JSON, wrong types, huge and empty
 * payloads on every topic the daemon and HQ subscribe to. Each is dropped with a log line that
 * names its topic; neither process crashes, and real grades still flow afterwards.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { deviceTopic } from '../../cloud-sync/protocol/index.ts';
import { driveGrades } from './helpers/daemon.ts';
import { mosquittoPub } from './helpers/mqtt-cli.ts';
import { Scenario } from './helpers/scenario.ts';
import { waitFor } from './helpers/wait.ts';

const scenario = new Scenario({ name: 'malformed' });
afterAll(() => scenario.stop());

it('drops every malformed payload with a log line; both ends keep running and syncing', async () => {
  await scenario.start();
  const { daemon, broker } = scenario;
  const [hq] = scenario.hqWorkers;
  await waitFor(async () => (await daemon.health()).sync.state === 'online', 'daemon online');
  const huge = join(scenario.root, 'huge.bin');
  writeFileSync(huge, Buffer.alloc(20 * 1024 * 1024, 0x5b)); // 20 MiB of "["
  const junk = [
    { message: '{"batchId": ' },
    { message: JSON.stringify({ schema: 'loupe.sync.grades/v1', batchId: 42, deviceId: [], records: 'none' }) },
    { file: huge },
    { empty: true },
  ];
  const topics = {
    ack: deviceTopic('ack', scenario.address), // the daemon subscribes here
    grades: deviceTopic('grades', scenario.address), // HQ, through $share/hq/…
    status: deviceTopic('status', { storeId: 'store-it', deviceId: 'someone-else' }), // HQ, unshared
  };
  for (const topic of Object.values(topics)) for (const j of junk) await mosquittoPub({ port: broker.port, topic, ...j });

  const daemonDrops = () => daemon.lines.filter((l) => l.event === 'sync.payload_dropped' && l.topic === topics.ack);
  const hqDrops = (topic: string) => hq.events('hq.payload_dropped').filter((l) => l.topic === topic);
  await waitFor(() => daemonDrops().length === 4 && hqDrops(topics.grades).length === 4 && hqDrops(topics.status).length === 3, 'every junk message logged');
  expect(daemonDrops().map((l) => l.code)).toEqual(['PAYLOAD_NOT_JSON', 'PAYLOAD_INVALID', 'PAYLOAD_TOO_LARGE', 'PAYLOAD_EMPTY']);
  expect(hqDrops(topics.grades).map((l) => l.code)).toEqual(['PAYLOAD_NOT_JSON', 'PAYLOAD_INVALID', 'PAYLOAD_TOO_LARGE', 'PAYLOAD_EMPTY']);
  // An empty message on a status topic is how a retained status is cleared: it is not junk.
  expect(hqDrops(topics.status).map((l) => l.code)).toEqual(['PAYLOAD_NOT_JSON', 'PAYLOAD_INVALID', 'PAYLOAD_TOO_LARGE']);
  for (const l of [...daemonDrops(), ...hqDrops(topics.grades)]) expect(typeof l.reason).toBe('string');

  expect(daemon.running).toBe(true);
  expect(hq.running).toBe(true);

  // A worker that starts later is handed a retained junk status on subscribe: it drops it and serves.
  const retainedTopic = deviceTopic('status', { storeId: 'store-it', deviceId: 'retained-junk' });
  await mosquittoPub({ port: broker.port, topic: retainedTopic, message: '{"state":', retain: true });
  const late = await scenario.addWorker();
  await waitFor(() => late.events('hq.payload_dropped').some((l) => l.topic === retainedTopic && l.code === 'PAYLOAD_NOT_JSON'), 'the late worker drops the retained junk');
  expect(late.running).toBe(true);
  const records = driveGrades(daemon.options.dataDir, 20);
  const graded = await daemon.grade();
  expect(graded.status).toBe(201);
  await waitFor(async () => (await scenario.hqCount()) === 21, 'real grades still reach HQ');
  await waitFor(() => scenario.deviceOutboxCount() === 0, 'and leave the outbox on HQ\'s ack');
  expect(records).toHaveLength(20);
});
