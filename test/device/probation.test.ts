import { describe, expect, it } from 'vitest';
import { beginProbation, failureCount, recordInference, recordStart, type ProbationPolicy, type ProbationState } from '../../device/inference/probation.ts';

const policy: ProbationPolicy = { grades: 5, maxFailures: 3, maxCrashes: 2 };
const fresh = () => beginProbation('loupe-rb@9.9.9', '/data/releases/loupe-rb-9.9.9', '/repo/models/release/loupe-rb-1.1.1', new Date('2026-12-04T10:00:00Z'));

function run(state: ProbationState, outcomes: Array<true | string>) {
  let verdict = { verdict: 'on-probation', state } as ReturnType<typeof recordInference>;
  for (const outcome of outcomes) verdict = recordInference(verdict.state, policy, outcome === true ? { ok: true } : { ok: false, code: outcome });
  return verdict;
}

describe('release probation (pure)', () => {
  it('a new release starts with nothing counted, running', () => {
    expect(fresh()).toMatchObject({ release: 'loupe-rb@9.9.9', inferences: 0, failures: {}, crashes: 0, running: true, since: '2026-12-04T10:00:00.000Z' });
  });

  it('passes after `grades` good inferences, and not one before', () => {
    expect(run(fresh(), [true, true, true, true]).verdict).toBe('on-probation');
    expect(run(fresh(), [true, true, true, true, true]).verdict).toBe('passed');
  });

  it('a few failures, under the limit, only delay the pass: it still needs `grades` good ones', () => {
    const verdict = run(fresh(), [true, 'INFERENCE_TIMEOUT', true, true, 'INFERENCE_FAILED', true]);
    expect(verdict.verdict).toBe('on-probation');
    expect(failureCount(verdict.state)).toBe(2);
    expect(run(verdict.state, [true]).verdict).toBe('passed');
  });

  it('fails at maxFailures, naming each code and count', () => {
    const verdict = run(fresh(), [true, 'INFERENCE_TIMEOUT', 'INFERENCE_TIMEOUT', 'MODEL_NOT_READY']);
    expect(verdict.verdict).toBe('failed');
    expect(verdict.state.failures).toEqual({ INFERENCE_TIMEOUT: 2, MODEL_NOT_READY: 1 });
    expect(verdict.verdict === 'failed' && verdict.reason).toBe('3 of its first 4 inferences failed (2 × INFERENCE_TIMEOUT, 1 × MODEL_NOT_READY); probation allows 2');
  });

  it('does not change the state it is given', () => {
    const state = fresh();
    run(state, ['INFERENCE_FAILED', true]);
    expect(state).toEqual(fresh());
  });

  it('counts a crash only when the last run on it did not stop cleanly, and fails at maxCrashes', () => {
    const cleanlyStopped = { ...fresh(), running: false };
    const afterClean = recordStart(cleanlyStopped, policy);
    expect(afterClean).toMatchObject({ verdict: 'on-probation', state: { crashes: 0, running: true } });
    const afterCrash = recordStart(afterClean.state, policy); // running still true: that run crashed
    expect(afterCrash).toMatchObject({ verdict: 'on-probation', state: { crashes: 1 } });
    const second = recordStart(afterCrash.state, policy);
    expect(second.verdict).toBe('failed');
    expect(second.verdict === 'failed' && second.reason).toMatch(/^the daemon stopped without a clean shutdown 2 times while running it on probation/);
  });
});
