/**
 * A device HQ has not enrolled: the real daemon (`loupe serve`) and HQ (`loupe hq serve`) as
 * processes over a real Mosquitto. HQ refuses its grades for their key; the device keeps them,
 * tells the counter and HQ why, and delivers every one once the key is registered.
 */
import { afterAll, expect, it } from 'vitest';
import { driveGrades } from './helpers/daemon.ts';
import { Scenario } from './helpers/scenario.ts';
import { sleep, waitFor } from './helpers/wait.ts';

const scenario = new Scenario({ name: 'enrolment', trust: false });
afterAll(() => scenario.stop());

it('keeps the grades of an unenrolled device, says why, and delivers them all once HQ trusts its key', async () => {
  await scenario.start();
  const { daemon, address } = scenario;
  const records = driveGrades(daemon.options.dataDir, 150);
  await waitFor(async () => (await daemon.health()).sync.refused === 'SIGNATURE_KEY_UNKNOWN', 'the kiosk told HQ refuses the device', 30_000);
  await waitFor(
    async () => (await scenario.withHq((s) => s.listDevices())).find((d) => d.deviceId === address.deviceId)?.statusReason?.includes('SIGNATURE_KEY_UNKNOWN'),
    "the reason in HQ's device list",
  );
  await sleep(1500); // more than one pause: the device tries again and is refused again
  expect(await scenario.hqCount()).toBe(0);
  expect(scenario.deviceOutboxCount()).toBe(150);
  expect((await daemon.health()).sync).toMatchObject({ backlog: 150 });

  await scenario.trustDevice();
  await waitFor(() => scenario.deviceOutboxCount() === 0, 'outbox drained once the key is trusted', 60_000);
  const rows = await scenario.withHq((s) => s.listGrades({ deviceId: address.deviceId, limit: 1000 }));
  expect(rows.map((r) => r.id)).toEqual(records.map((r) => r.id));
  await waitFor(async () => (await daemon.health()).sync.refused === null, 'the kiosk no longer says so');
});
