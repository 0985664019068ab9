/** Carat weight of a round brilliant from its girdle diameter: ct ≈ D² × depth × 0.0061 (D, depth in mm). */
export const ROUND_BRILLIANT_FACTOR = 0.0061;
/** Total depth of an ideal round brilliant, % of the girdle diameter. */
export const IDEAL_DEPTH_PCT = 61;
/** A model depth outside this range is not a plausible round brilliant; the ideal is used instead. */
const PLAUSIBLE_DEPTH_PCT = { min: 45, max: 80 } as const;

export interface CaratEstimate {
  value: number;
  diameterMm: number;
  depthPct: number;
  depthSource: 'model' | 'ideal';
  mmPerPx: number;
  diameterPx: number;
}

export function estimateCarat(diameterPx: number, mmPerPx: number, modelDepthPct?: number): CaratEstimate {
  if (!(diameterPx > 0)) throw new RangeError(`diameterPx must be > 0, got ${diameterPx}`);
  if (!(mmPerPx > 0)) throw new RangeError(`mmPerPx must be > 0, got ${mmPerPx}`);
  const diameterMm = diameterPx * mmPerPx;
  const fromModel =
    modelDepthPct !== undefined &&
    Number.isFinite(modelDepthPct) &&
    modelDepthPct >= PLAUSIBLE_DEPTH_PCT.min &&
    modelDepthPct <= PLAUSIBLE_DEPTH_PCT.max;
  const depthPct = fromModel ? modelDepthPct : IDEAL_DEPTH_PCT;
  const depthMm = (depthPct / 100) * diameterMm;
  const value = diameterMm * diameterMm * depthMm * ROUND_BRILLIANT_FACTOR;
  return { value: round(value, 3), diameterMm: round(diameterMm, 4), depthPct: round(depthPct, 2), depthSource: fromModel ? 'model' : 'ideal', mmPerPx, diameterPx };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
