/**
 * Scenario 3, power cuts: the real daemon is SIGKILLed 30 times at random moments while it grades
 * (POST /api/grade) and syncs a backlog. HQ ends with every grade the device committed, once, and
 * both SQLite files pass PRAGMA integrity_check.
 */
import { afterAll, expect, it } from 'vitest';
import { driveGrades } from './helpers/daemon.ts';
import { Scenario } from './helpers/scenario.ts';
import { sleep, waitFor } from './helpers/wait.ts';

const KILLS = 30;
const scenario = new Scenario({ name: 'power-cuts', sync: { batch: { maxRecords: 20, lingerMs: 20 } } });
afterAll(() => scenario.stop());

it(`survives ${KILLS} SIGKILLs during grading and sync with nothing lost or doubled`, { timeout: 300_000 }, async () => {
  await scenario.start();
  const { daemon } = scenario;
  await daemon.stop();
  let seed = 0x5eed;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  let apiGrades = 0;
  let killsWithBacklog = 0;
  for (let cut = 0; cut < KILLS; cut++) {
    driveGrades(daemon.options.dataDir, 10, 10);
    await daemon.start();
    // Every other cut waits for the model first, so that some cuts land while it grades through
    // the API: on a slow box the model can take longer to load than the longest window. The others
    // may land while it is still starting.
    if (cut % 2 === 1) await waitFor(async () => (await daemon.health()).model.version !== '-', 'the model loaded', 60_000);
    const until = Date.now() + 150 + random() * 1000;
    // Grades keep arriving while it runs, so the cut lands with batches in flight.
    const writer = setInterval(() => driveGrades(daemon.options.dataDir, 3, 3), 80);
    const grading = (async () => {
      while (Date.now() < until && daemon.running) {
        const r = await daemon.grade().catch(() => undefined);
        if (r?.status === 201) apiGrades++;
      }
    })();
    await sleep(Math.max(0, until - Date.now()));
    const backlog = (await daemon.health().catch(() => undefined))?.sync.backlog ?? 0;
    await daemon.kill();
    clearInterval(writer);
    await grading;
    if (backlog > 0) killsWithBacklog++;
  }
  expect(daemon.starts).toBe(KILLS + 1);
  expect(apiGrades).toBeGreaterThan(0);
  expect(killsWithBacklog).toBeGreaterThanOrEqual(KILLS / 2); // most cuts hit while there was something to sync
  // After the last cut the broker published the retained last will, and HQ recorded it.
  const [device] = await waitFor(async () => {
    const devices = await scenario.withHq((s) => s.listDevices());
    return devices.some((d) => d.state === 'offline') ? devices : undefined;
  }, 'the last will at HQ');
  expect(device).toMatchObject({ deviceId: scenario.address.deviceId, state: 'offline', statusReason: 'connection-lost' });

  await daemon.start();
  await waitFor(() => scenario.deviceOutboxCount() === 0, 'the last run drains the outbox', 90_000);
  await daemon.stop();

  const committed = scenario.deviceGradeIds();
  expect(committed.length).toBeGreaterThanOrEqual(KILLS * 10 + apiGrades);
  const rows = await scenario.withHq((s) => s.listGrades({ deviceId: scenario.address.deviceId, limit: 100_000 }));
  expect(rows).toHaveLength(committed.length);
  expect(new Set(rows.map((r) => r.id))).toEqual(new Set(committed));
  expect(scenario.deviceIntegrity()).toBe('ok');
  expect(await scenario.withHq((s) => s.integrityCheck())).toBe('ok');
});
