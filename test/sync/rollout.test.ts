/** HQ's view of a model rollout: summarizeRollout (pure) and `loupe hq release status` on a real HQ store. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { LOUPE_BIN, REPO_ROOT } from '../../cloud-sync/bench/hq-process.ts';
import { summarizeRollout } from '../../cloud-sync/hq/rollout.ts';
import { SqliteHqStore } from '../../cloud-sync/hq/store/sqlite-store.ts';
import type { DeviceSummary } from '../../cloud-sync/hq/store/types.ts';
import { ROLLED_BACK_CODE } from '../../device/inference/probation.ts';

const exec = promisify(execFile);

function device(deviceId: string, modelVersion: string | null, release: DeviceSummary['release']): DeviceSummary {
  return { storeId: 's1', deviceId, state: 'online', statusAt: null, backlog: 0, oldestUnsentAgeS: null, modelVersion, statusReason: null, lastBatchAt: null, lastSeq: null, gradesCount: 0, release };
}
const at = '2026-12-04T10:00:00.000Z';
const installed = (release: string) => ({ release, state: 'installed' as const, code: null, reason: null, at });
const refused = (release: string, code: string) => ({ release, state: 'refused' as const, code, reason: 'why', at });

describe('summarizeRollout', () => {
  const fleet = [
    device('a', 'loupe-rb@1.3.0', installed('loupe-rb@1.3.0')),
    device('b', 'loupe-rb@1.3.0', installed('loupe-rb@1.3.0')),
    device('c', 'loupe-rb@1.1.1', refused('loupe-rb@1.3.0', ROLLED_BACK_CODE)),
    device('d', 'loupe-rb@1.1.1', refused('loupe-rb@1.3.0', 'MODEL_GOLDEN_MISMATCH')),
    device('e', 'loupe-rb@1.1.1', refused('loupe-rb@1.3.0', 'MODEL_GOLDEN_MISMATCH')),
    device('f', 'loupe-rb@1.1.1', null),
    device('g', null, null),
    device('h', 'other@10.0.0', installed('other@10.0.0')),
  ];

  it('counts, per release, the devices running it, that took it, rolled it back and refused it by code', () => {
    const rollout = summarizeRollout(fleet);
    expect(rollout.devices).toBe(8);
    expect(rollout.withoutOutcome).toBe(2);
    expect(rollout.releases).toEqual([
      { release: 'loupe-rb@1.3.0', running: 2, installed: 2, rolledBack: 1, refused: { MODEL_GOLDEN_MISMATCH: 2 } },
      { release: 'loupe-rb@1.1.1', running: 4, installed: 0, rolledBack: 0, refused: {} },
      { release: 'other@10.0.0', running: 1, installed: 1, rolledBack: 0, refused: {} },
    ]);
  });

  it('sorts versions as versions, not as text, and filters by name', () => {
    const rows = summarizeRollout([device('a', 'loupe-rb@1.10.0', null), device('b', 'loupe-rb@1.9.0', null), device('c', 'other@1.0.0', null)], { name: 'loupe-rb' });
    expect(rows.releases.map((r) => r.release)).toEqual(['loupe-rb@1.10.0', 'loupe-rb@1.9.0']);
    expect(rows.devices).toBe(3);
  });

  it('an empty fleet has no releases', () => {
    expect(summarizeRollout([])).toEqual({ releases: [], withoutOutcome: 0, devices: 0 });
  });
});

describe('loupe hq release status', () => {
  const data = mkdtempSync(join(tmpdir(), 'loupe-rollout-'));
  afterAll(() => rmSync(data, { recursive: true, force: true }));
  const loupe = (args: string[]) =>
    exec(process.execPath, [LOUPE_BIN, ...args], { cwd: REPO_ROOT, timeout: 30_000 }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );

  it('says so when no device has reported a release', async () => {
    const r = await loupe(['hq', 'release', 'status', '--data', data]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('no release reported by any of 0 devices\n');
  });

  it("prints the table and the JSON from HQ's store of device reports", async () => {
    const store = new SqliteHqStore(join(data, 'hq.db'));
    await store.open();
    const report = (deviceId: string, state: 'installed' | 'refused', code?: string) =>
      store.recordRelease({ schema: 'loupe.sync.release/v1', storeId: 's1', deviceId, release: 'loupe-rb@1.3.0', state, ...(code ? { code, reason: 'because' } : {}), at });
    const status = (deviceId: string, modelVersion: string) =>
      store.recordStatus({ schema: 'loupe.sync.status/v1', storeId: 's1', deviceId, state: 'online', at, backlog: 0, oldestUnsentAgeS: null, modelVersion });
    await status('a', 'loupe-rb@1.3.0');
    await report('a', 'installed');
    await status('b', 'loupe-rb@1.1.1');
    await report('b', 'refused', ROLLED_BACK_CODE);
    await status('c', 'loupe-rb@1.1.1');
    await report('c', 'refused', 'RELEASE_FILE_CORRUPT');
    await status('d', 'loupe-rb@1.1.1');
    await store.close();

    const table = await loupe(['hq', 'release', 'status', '--data', data]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^RELEASE\s+RUNNING\s+INSTALLED\s+ROLLED BACK\s+REFUSED/m);
    expect(table.stdout).toMatch(/loupe-rb@1\.3\.0\s+1\s+1\s+1\s+RELEASE_FILE_CORRUPT 1/);
    expect(table.stdout).toMatch(/loupe-rb@1\.1\.1\s+3\s+0\s+0\s+-/);
    expect(table.stdout).toContain('4 devices; 1 have reported no release outcome');

    const json = JSON.parse((await loupe(['hq', 'release', 'status', '--data', data, '--json', '--name', 'loupe-rb'])).stdout);
    expect(json.releases[0]).toEqual({ release: 'loupe-rb@1.3.0', running: 1, installed: 1, rolledBack: 1, refused: { RELEASE_FILE_CORRUPT: 1 } });
  });

  it('refuses an unknown option with a code and a reason', async () => {
    const r = await loupe(['hq', 'release', 'status', '--data', data, '--bogus']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/\[CONFIG_INVALID\] Unknown option '--bogus'/);
  });
});
