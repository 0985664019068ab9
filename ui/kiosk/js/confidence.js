// Turns a calibrated probability into words a customer can follow. Pure; no DOM.

/** @typedef {{ word: string, level: 'high' | 'good' | 'fair' | 'low' }} ConfidenceWord */

/** Thresholds are deliberately coarse: four words are easier to trust than a percentage. */
const BANDS = /** @type {const} */ ([
  { min: 0.9, word: 'Very sure', level: 'high' },
  { min: 0.75, word: 'Sure', level: 'good' },
  { min: 0.5, word: 'Fairly sure', level: 'fair' },
  { min: 0, word: 'Unsure', level: 'low' },
]);

/**
 * @param {number} confidence in [0, 1]
 * @returns {ConfidenceWord}
 */
export function confidenceWord(confidence) {
  const value = clampUnit(confidence);
  const band = BANDS.find((b) => value >= b.min) ?? BANDS[BANDS.length - 1];
  return { word: band.word, level: band.level };
}

/**
 * Width of the confidence bar, as a whole percentage.
 * @param {number} confidence
 */
export function confidencePercent(confidence) {
  return Math.round(clampUnit(confidence) * 100);
}

/** @param {number} value */
function clampUnit(value) {
  if (!Number.isFinite(value)) return 0;
  return Math.min(1, Math.max(0, value));
}
