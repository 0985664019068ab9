/**
 * The committed release grades fresh renders (a seed no data set uses) as well as its goals
 * allow, through the device's own crop, tensor and grading code.
 *
 * Each bound is the goal less three binomial standard errors at this sample size, so a model
 * that meets the goal fails this test by chance about once in 700 runs per bound. Where the
 * shipped model misses a goal, the bound is its measured test-set value less the same margin
 * instead, and BOUNDS says so; the goals themselves are never lowered.
 */
import { describe, expect, it } from 'vitest';
import { bundledReleaseDir } from '../../device/inference/release.ts';
import { binomialSigma } from '../../models/eval/accuracy.ts';
import { evaluateRelease, HEADS, type EvaluationReport } from '../../models/eval/evaluate-release.ts';

const COUNT = 300;
const SEED = 90210; // no data set is rendered with it (train 1, val 2, test 3)

/**
 * Goals of the issue. loupe-rb 1.4.0 meets every one on the 2500-stone test split (seed 3; INT8,
 * 4 views per stone and its within-one decision rule, as the device grades; MODEL_CARD.md,
 * models/train/NOTES.md §16): colour 98.2 / 99.6 %, clarity 80.7 / 98.3 %, cut 87.7 / 99.8 %.
 * A release that missed one would set `measured` to its test-set value instead, and say so here.
 */
const BOUNDS: Record<(typeof HEADS)[number], { exact: { goal: number; measured?: number }; withinOne: { goal: number; measured?: number } }> = {
  colour: { exact: { goal: 0.85 }, withinOne: { goal: 0.99 } },
  clarity: { exact: { goal: 0.8 }, withinOne: { goal: 0.98 } },
  cut: { exact: { goal: 0.85 }, withinOne: { goal: 0.99 } },
};

function lowerBound(target: { goal: number; measured?: number }): number {
  const p = target.measured ?? target.goal;
  return p - 3 * binomialSigma(p, COUNT);
}

describe('committed model release on fresh renders', () => {
  let report: EvaluationReport;

  it(`renders ${COUNT} fresh stones (seed ${SEED}) and grades every one`, { timeout: 300_000 }, async () => {
    report = await evaluateRelease({ releaseDir: bundledReleaseDir(), count: COUNT, seed: SEED, workers: 2 });
    expect(report.count).toBe(COUNT);
    expect(report.notLocated).toBe(0);
  });

  for (const head of HEADS) {
    it(`${head}: exact ≥ ${lowerBound(BOUNDS[head].exact).toFixed(3)}, within one ≥ ${lowerBound(BOUNDS[head].withinOne).toFixed(3)}`, () => {
      expect(report, 'the render step above failed').toBeDefined();
      const score = report.heads[head];
      expect(score.n).toBe(COUNT);
      expect(score.exact).toBeGreaterThanOrEqual(lowerBound(BOUNDS[head].exact));
      expect(score.withinOne).toBeGreaterThanOrEqual(lowerBound(BOUNDS[head].withinOne));
    });
  }

  // Colour is ≥ 95 % exact on its own, so its threshold refers (almost) nothing; clarity and cut refer about half.
  for (const head of ['clarity', 'cut'] as const) {
    it(`${head}: the stones it does not refer are graded at about the 95 % target`, () => {
      expect(report, 'the render step above failed').toBeDefined();
      const score = report.heads[head];
      expect(score.referred).toBeGreaterThan(0.2);
      expect(score.referred).toBeLessThan(0.8);
      const graded = Math.round(COUNT * (1 - score.referred));
      expect(score.exactWhenGraded!).toBeGreaterThanOrEqual(0.95 - 3 * binomialSigma(0.95, graded));
      expect(score.exactWhenGraded!).toBeGreaterThan(score.exact);
    });
  }
});
