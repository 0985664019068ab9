/**
 * Cut grade from proportions, by a rule table for round brilliants. Each proportion is
 * graded on its own; the stone takes the worst of them (a stone is only as good as its
 * weakest proportion, which is also how GIA's system caps a grade).
 *
 * The bands approximate the published parameter ranges of:
 * - GIA's Diamond Cut Grading System (Moses et al., "A Foundation for Grading the Overall
 *   Cut Quality of Round Brilliant Cut Diamonds", Gems & Gemology 40(3), 2004, and GIA's
 *   Facetware ranges derived from it): Excellent around table 52–62 %, crown 31.5–36.5°,
 *   pavilion 40.6–41.8°, total depth 57.5–63 %, girdle thin to slightly thick;
 * - AGS's light-performance grading (AGS Ideal 0) for the narrower pavilion band;
 * - Tolkowsky (1919, "Diamond Design") for the centre: 53 % table, 34.5° crown, 40.75° pavilion.
 * The outer bands (Very Good to Fair) widen each range in steps, following the same sources'
 * tables; outside Fair the stone is Poor. GIA also grades painting, digging, symmetry and
 * polish; those are not modelled (every render is perfectly symmetric and polished).
 */
import type { Proportions } from './geometry.ts';
import { CUT_GRADES, type CutGrade } from './grades.ts';

type Band = readonly [lo: number, hi: number];
/** Bands for Excellent, Very Good, Good, Fair; outside the last one is Poor. */
export interface CutRule {
  name: 'table_pct' | 'crown_angle_deg' | 'pavilion_angle_deg' | 'total_depth_pct' | 'girdle_pct';
  bands: readonly [Band, Band, Band, Band];
}

export const CUT_RULES: readonly CutRule[] = [
  { name: 'table_pct', bands: [[52, 62], [50, 66], [47, 69], [44, 72]] },
  { name: 'crown_angle_deg', bands: [[31.5, 36.5], [27, 38.5], [23, 40], [20, 42]] },
  { name: 'pavilion_angle_deg', bands: [[40.6, 41.8], [39.8, 42.4], [38.8, 43.2], [37.4, 44.2]] },
  { name: 'total_depth_pct', bands: [[57.5, 63], [56, 64.5], [53, 66.5], [51, 70]] },
  { name: 'girdle_pct', bands: [[2, 4.5], [1.5, 5.5], [1, 7], [0.5, 9]] },
];

export interface CutInputs {
  table_pct: number;
  crown_angle_deg: number;
  pavilion_angle_deg: number;
  total_depth_pct: number;
  girdle_pct: number;
}

export function cutInputs(p: Proportions, totalDepthPct: number): CutInputs {
  return {
    table_pct: p.tablePct,
    crown_angle_deg: p.crownAngleDeg,
    pavilion_angle_deg: p.pavilionAngleDeg,
    total_depth_pct: totalDepthPct,
    girdle_pct: p.girdlePct,
  };
}

export function gradeOneProportion(rule: CutRule, value: number): number {
  const index = rule.bands.findIndex(([lo, hi]) => value >= lo && value <= hi);
  return index === -1 ? CUT_GRADES.length - 1 : index;
}

export function gradeCut(inputs: CutInputs): { grade: CutGrade; limitedBy: CutRule['name'][] } {
  const perRule = CUT_RULES.map((rule) => ({ rule: rule.name, index: gradeOneProportion(rule, inputs[rule.name]) }));
  const worst = Math.max(...perRule.map((r) => r.index));
  return { grade: CUT_GRADES[worst], limitedBy: perRule.filter((r) => r.index === worst && worst > 0).map((r) => r.rule) };
}
