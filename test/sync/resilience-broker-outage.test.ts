/**
 * Scenario 1, broker outage: the broker is stopped while 1,000 stones are graded, then restarted.
 * All 1,000 reach HQ exactly once, in order per device. Real broker, real daemon, real HQ.
 */
import { afterAll, expect, it } from 'vitest';
import { driveGrades } from './helpers/daemon.ts';
import { Scenario } from './helpers/scenario.ts';
import { waitFor } from './helpers/wait.ts';

const scenario = new Scenario({ name: 'broker-outage' });
afterAll(() => scenario.stop());

it('1,000 grades made during a broker outage reach HQ exactly once, in device order', async () => {
  await scenario.start();
  const { daemon } = scenario;
  await waitFor(async () => (await daemon.health()).sync.state === 'online', 'daemon online');

  // The real grading path first: a stone graded through the API reaches HQ.
  const before = await daemon.grade();
  expect(before.status).toBe(201);
  await waitFor(async () => (await scenario.hqCount()) === 1, 'the first grade at HQ');

  await scenario.broker.stop();
  await waitFor(async () => (await daemon.health()).sync.state !== 'online', 'daemon sees the outage');
  const during = await daemon.grade(); // one through the API while the broker is down
  expect(during.status).toBe(201);
  const driven = driveGrades(daemon.options.dataDir, 999); // and 999 through the store API
  const expected = [before.record!.id, during.record!.id, ...driven.map((r) => r.id)];
  expect((await daemon.health()).sync.backlog).toBe(1000);

  await scenario.broker.start(); // same port, same persistence folder
  await waitFor(async () => (await scenario.hqCount()) === 1001, 'all grades at HQ', 60_000);
  await waitFor(() => scenario.deviceOutboxCount() === 0, 'outbox empty');

  const rows = await scenario.withHq((s) => s.listGrades({ deviceId: scenario.address.deviceId, order: 'device', limit: 5000 }));
  expect(rows.map((r) => r.id)).toEqual(expected); // each once, in the order the device made them
  expect(new Set(rows.map((r) => r.deviceSeq)).size).toBe(1001);
  expect(rows.every((r, i) => i === 0 || r.deviceSeq > rows[i - 1].deviceSeq)).toBe(true);
  expect(new Set(scenario.deviceGradeIds())).toEqual(new Set(expected));
  expect(daemon.running).toBe(true);
});
