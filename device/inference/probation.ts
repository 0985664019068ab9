/**
 * Probation for a release taken from HQ: the golden set proves its answers at load, not its
 * behaviour in service. Until it has run `grades` good inferences it is rolled back to the
 * release it replaced when `maxFailures` inferences fail (a timeout, a failed run, a dead
 * worker), or when the daemon has crashed `maxCrashes` times while running it. A native crash
 * takes the whole process down, so that count has to survive it, as an A/B boot counter does:
 * `running` is set at each start and cleared at a clean stop, and a start that finds it still set
 * counts one crash. Pure functions; probation-store.ts keeps the state on disk.
 */

/** The refusal a device reports to HQ for a release it rolled back by itself. */
export const ROLLED_BACK_CODE = 'RELEASE_ROLLED_BACK';

export interface ProbationPolicy {
  /** Inferences a new release must run before it is trusted. */
  grades: number;
  /** Failed inferences during probation that roll it back. */
  maxFailures: number;
  /** Starts after a daemon run on it that ended without a clean stop that roll it back. */
  maxCrashes: number;
}

export interface ProbationState {
  /** name@version */
  release: string;
  dir: string;
  /** The release it replaced, which a rollback loads again; null: none was loaded (the start-up choice then). */
  previousDir: string | null;
  since: string;
  inferences: number;
  failures: Record<string, number>;
  crashes: number;
  /** A daemon is running on it now; still true at the next start means the last run crashed. */
  running: boolean;
}

/** Codes of a model that failed in service (device/inference/errors.ts), not of a refused frame. */
export const MODEL_FAILURE_CODES: ReadonlySet<string> = new Set(['INFERENCE_TIMEOUT', 'INFERENCE_FAILED', 'MODEL_NOT_READY']);

export type InferenceOutcome = { ok: true } | { ok: false; code: string };

export type ProbationVerdict = { verdict: 'on-probation'; state: ProbationState } | { verdict: 'passed'; state: ProbationState } | { verdict: 'failed'; state: ProbationState; reason: string };

export function beginProbation(release: string, dir: string, previousDir: string | null, now: Date): ProbationState {
  return { release, dir, previousDir, since: now.toISOString(), inferences: 0, failures: {}, crashes: 0, running: true };
}

export function failureCount(state: ProbationState): number {
  return Object.values(state.failures).reduce((sum, n) => sum + n, 0);
}

function describeFailures(state: ProbationState): string {
  return Object.entries(state.failures)
    .map(([code, n]) => `${n} × ${code}`)
    .join(', ');
}

export function recordInference(state: ProbationState, policy: ProbationPolicy, outcome: InferenceOutcome): ProbationVerdict {
  const next: ProbationState = { ...state, inferences: state.inferences + 1, failures: { ...state.failures } };
  if (!outcome.ok) next.failures[outcome.code] = (next.failures[outcome.code] ?? 0) + 1;
  const failed = failureCount(next);
  if (failed >= policy.maxFailures) {
    return { verdict: 'failed', state: next, reason: `${failed} of its first ${next.inferences} inferences failed (${describeFailures(next)}); probation allows ${policy.maxFailures - 1}` };
  }
  if (next.inferences - failed >= policy.grades) return { verdict: 'passed', state: next };
  return { verdict: 'on-probation', state: next };
}

/** At a daemon start on the release: counts the last run as a crash if it never stopped cleanly. */
export function recordStart(state: ProbationState, policy: ProbationPolicy): ProbationVerdict {
  const crashes = state.crashes + (state.running ? 1 : 0);
  const next: ProbationState = { ...state, crashes, running: true };
  if (crashes >= policy.maxCrashes) {
    return { verdict: 'failed', state: next, reason: `the daemon stopped without a clean shutdown ${crashes} times while running it on probation (after ${state.inferences} inferences)` };
  }
  return { verdict: 'on-probation', state: next };
}
