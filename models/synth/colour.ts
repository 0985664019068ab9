/**
 * Body colour as Beer–Lambert absorption. Nitrogen-related (cape) yellow absorbs most in the
 * blue and least in the red, so the coefficient rises toward blue.
 *
 * The ladder is defined as face-up tint: the optical density through the stone, not the
 * per-mm coefficient, is fixed per grade. That is why the coefficient is divided by the
 * diameter: graders compare a stone against master stones of similar size, so the grade
 * describes what is seen, and a 0.3 ct and a 3 ct J look alike face-up. Each grade step adds
 * the same blue optical density (an even ladder); see test/synth/colour.test.ts for the
 * measured chroma ladder.
 */
import { COLOUR_GRADES, type ColourGrade } from './grades.ts';

/** Blue absorption per mm for grade Z in a 6.5 mm (1 ct) stone. */
const Z_BLUE_PER_MM_AT_REFERENCE = 0.085;
const REFERENCE_DIAMETER_MM = 6.5;
/** Relative absorption in R and G against B for cape yellow. */
const CHANNEL_SHAPE: readonly [number, number, number] = [0.06, 0.3, 1];

export function colourIndex(grade: ColourGrade): number {
  return COLOUR_GRADES.indexOf(grade);
}

export function absorptionPerMm(grade: ColourGrade, diameterMm: number): [number, number, number] {
  const step = colourIndex(grade) / (COLOUR_GRADES.length - 1);
  const blue = step * Z_BLUE_PER_MM_AT_REFERENCE * (REFERENCE_DIAMETER_MM / diameterMm);
  return [blue * CHANNEL_SHAPE[0], blue * CHANNEL_SHAPE[1], blue * CHANNEL_SHAPE[2]];
}
