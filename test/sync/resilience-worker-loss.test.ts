/**
 * Scenario 4, worker loss: two HQ workers share the subscription (on PostgreSQL, the fleet
 * store); one is SIGKILLed mid-stream. Nothing is lost, nothing is doubled.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { PostgresHqStore } from '../../cloud-sync/hq/store/postgres-store.ts';
import { driveGrades } from './helpers/daemon.ts';
import { Scenario } from './helpers/scenario.ts';
import { waitFor } from './helpers/wait.ts';
import { POSTGRES_URL } from './helpers/postgres.ts';

const db = `${POSTGRES_URL}?schema=loupe_it_${process.pid}_${randomBytes(3).toString('hex')}`;
const scenario = new Scenario({ name: 'worker-loss', hqDb: db, hqLogLevel: 'debug', sync: { batch: { maxRecords: 25, lingerMs: 20 }, window: 4 } });
afterAll(async () => {
  await scenario.stop();
  const pg = new PostgresHqStore(db);
  await pg.open();
  await pg.dropSchema();
  await pg.close();
});

it('a SIGKILLed worker loses nothing: the other worker and the device resends finish the stream', async () => {
  await scenario.start(2);
  const [a, b] = scenario.hqWorkers;
  const { daemon } = scenario;
  const records = driveGrades(daemon.options.dataDir, 1500, 100);
  await waitFor(() => a.events('hq.committed').length > 0 && b.events('hq.committed').length > 0, 'both workers committing');
  await waitFor(async () => (await scenario.hqCount()) >= 300, 'stream under way');
  await a.kill();
  const committedByA = a.events('hq.committed').length;
  expect(committedByA).toBeGreaterThan(0);
  await waitFor(() => scenario.deviceOutboxCount() === 0, 'the device drained through the survivor', 90_000);
  const rows = await scenario.withHq((s) => s.listGrades({ deviceId: scenario.address.deviceId, limit: 10_000 }));
  expect(rows.map((r) => r.id)).toEqual(records.map((r) => r.id));
  expect(b.events('hq.committed').length).toBeGreaterThan(0);
  expect(await scenario.withHq((s) => s.integrityCheck())).toBe('ok');
});
