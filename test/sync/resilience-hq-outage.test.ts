/**
 * Scenario 2, HQ outage: HQ is stopped while the broker stays up. The outbox holds (a PUBACK is
 * not an ack), then drains when HQ returns.
 */
import { afterAll, expect, it } from 'vitest';
import { GradeStore } from '../../device/store/grade-store.ts';
import { driveGrades } from './helpers/daemon.ts';
import { Scenario } from './helpers/scenario.ts';
import { sleep, waitFor } from './helpers/wait.ts';

const scenario = new Scenario({ name: 'hq-outage' });
afterAll(() => scenario.stop());

it('the outbox holds while HQ is down and drains when it returns', async () => {
  await scenario.start();
  const { daemon } = scenario;
  await waitFor(async () => (await daemon.health()).sync.state === 'online', 'daemon online');
  const [hq] = scenario.hqWorkers;
  await hq.stop();

  const records = driveGrades(daemon.options.dataDir, 200);
  // Long enough for sends, "no matching subscribers" PUBACKs and at least one ack timeout.
  const store = new GradeStore(daemon.options.dataDir);
  store.open();
  await waitFor(() => store.outbox.rows(1)[0]?.attempts >= 2, 'the agent tried (and retried) to send');
  store.close();
  await sleep(1000);
  expect(scenario.deviceOutboxCount()).toBe(200);
  expect((await daemon.health()).sync).toMatchObject({ state: 'online', backlog: 200 });

  await hq.start();
  await waitFor(() => scenario.deviceOutboxCount() === 0, 'outbox drained after HQ returned', 60_000);
  const rows = await scenario.withHq((s) => s.listGrades({ deviceId: scenario.address.deviceId, limit: 1000 }));
  expect(rows.map((r) => r.id)).toEqual(records.map((r) => r.id));
  // HQ also learnt the backlog from the retained status while it was away.
  await waitFor(async () => (await scenario.withHq((s) => s.listDevices())).some((d) => d.deviceId === scenario.address.deviceId && d.state === 'online' && d.backlog === 0), 'status at HQ');
});
