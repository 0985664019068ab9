import { STANDARD_PROPORTIONS, type Proportions } from '../../models/synth/geometry.ts';
import type { ClarityGrade, ColourGrade } from '../../models/synth/grades.ts';
import { createRng } from '../../models/synth/rng.ts';
import { type RenderedStone, renderStone } from '../../models/synth/render.ts';
import { specFromParts } from '../../models/synth/stone.ts';

/** Same stone, same pose, no noise: only the property under test changes. */
export function renderIdeal(parts: { colour?: ColourGrade; clarity?: ClarityGrade; proportions?: Proportions; maxBounces?: number; sizePx?: number }): RenderedStone {
  const spec = specFromParts(
    { proportions: parts.proportions ?? STANDARD_PROPORTIONS, colour: parts.colour ?? 'G', clarity: parts.clarity ?? 'FL' },
    createRng(99),
  );
  return renderStone(spec, { sizePx: parts.sizePx ?? 96, seed: 3, fovFactor: 1.35, ideal: true, maxBounces: parts.maxBounces });
}

/** Mean of a function of (r, g, b) over the pixels inside a centred disc of the girdle's radius. */
export function meanOverStone(stone: RenderedStone, f: (r: number, g: number, b: number) => number, radiusFraction = 0.95): number {
  const { width, rgb, labels } = stone;
  const r = (labels.diameter_px / 2) * radiusFraction;
  let sum = 0;
  let n = 0;
  for (let y = 0; y < stone.height; y++) {
    for (let x = 0; x < width; x++) {
      if ((x + 0.5 - labels.centre_x_px) ** 2 + (y + 0.5 - labels.centre_y_px) ** 2 > r * r) continue;
      const o = (y * width + x) * 3;
      sum += f(rgb[o], rgb[o + 1], rgb[o + 2]);
      n++;
    }
  }
  return sum / n;
}

/** Yellow chroma: how far blue falls below the mean of red and green (8-bit units). */
export const yellowChroma = (r: number, g: number, b: number): number => (r + g) / 2 - b;
export const luminance = (r: number, g: number, b: number): number => 0.2126 * r + 0.7152 * g + 0.0722 * b;
