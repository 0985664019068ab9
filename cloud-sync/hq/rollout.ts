/**
 * A model rollout across the fleet, from what each device last reported: per release, how many
 * devices run it (their status), took it, rolled it back by themselves after it failed in service,
 * or refused it (by code). Pure: the input is HQ's device list.
 */
import { ROLLED_BACK_CODE } from '../../device/inference/probation.ts';
import { compareSemver } from '../../device/inference/semver.ts';
import type { DeviceSummary } from './store/types.ts';

export interface RolloutRow {
  /** name@version */
  release: string;
  running: number;
  installed: number;
  rolledBack: number;
  /** Other refusals, by code. */
  refused: Record<string, number>;
}

export interface Rollout {
  releases: RolloutRow[];
  /** Devices that have reported no release outcome (e.g. still on the bundled model). */
  withoutOutcome: number;
  devices: number;
}

function splitRelease(release: string): { name: string; version: string } {
  const at = release.lastIndexOf('@');
  return at < 0 ? { name: release, version: '' } : { name: release.slice(0, at), version: release.slice(at + 1) };
}

/** Newest version first within a name; names in order. An unparsable version sorts last. */
function byRelease(a: RolloutRow, b: RolloutRow): number {
  const x = splitRelease(a.release);
  const y = splitRelease(b.release);
  if (x.name !== y.name) return x.name < y.name ? -1 : 1;
  try {
    return compareSemver(y.version, x.version);
  } catch {
    return x.version < y.version ? 1 : -1;
  }
}

export function summarizeRollout(devices: readonly DeviceSummary[], only?: { name?: string }): Rollout {
  const rows = new Map<string, RolloutRow>();
  const row = (release: string) => {
    let r = rows.get(release);
    if (!r) rows.set(release, (r = { release, running: 0, installed: 0, rolledBack: 0, refused: {} }));
    return r;
  };
  let withoutOutcome = 0;
  for (const device of devices) {
    if (device.modelVersion) row(device.modelVersion).running++;
    const outcome = device.release;
    if (!outcome) {
      withoutOutcome++;
      continue;
    }
    const r = row(outcome.release);
    if (outcome.state === 'installed') r.installed++;
    else if (outcome.code === ROLLED_BACK_CODE) r.rolledBack++;
    else r.refused[outcome.code ?? 'UNKNOWN'] = (r.refused[outcome.code ?? 'UNKNOWN'] ?? 0) + 1;
  }
  const releases = [...rows.values()].filter((r) => !only?.name || splitRelease(r.release).name === only.name).sort(byRelease);
  return { releases, withoutOutcome, devices: devices.length };
}
