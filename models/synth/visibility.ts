/**
 * How visible is a clarity grade? Renders the same stone (proportions, pose, dust, sensor
 * noise) with no inclusions and with a grade's, and counts the pixels that differ by at least
 * a given number of 8-bit levels: 4 is any change at all, 25 (a tenth of the range) one an eye
 * sees among the facets. models/train/inclusion-visibility.ts prints it; the clarity tests
 * hold the table to it.
 */
import { sampleInclusions } from './clarity.ts';
import { buildMesh } from './geometry.ts';
import type { ClarityGrade } from './grades.ts';
import { renderStone } from './render.ts';
import { createRng, hashSeed } from './rng.ts';
import { sampleStone } from './stone.ts';

export function changedPixels(a: Uint8Array, b: Uint8Array, level: number): number {
  let n = 0;
  for (let p = 0; p < a.length; p += 3) {
    const d = Math.max(Math.abs(a[p] - b[p]), Math.abs(a[p + 1] - b[p + 1]), Math.abs(a[p + 2] - b[p + 2]));
    if (d >= level) n++;
  }
  return n;
}

export interface VisibilityOptions {
  grades: readonly ClarityGrade[];
  stones: number;
  seed: number;
  sizePx: number;
  levels: readonly number[];
}

/** counts[grade][k][i]: pixels of stone i changed by ≥ levels[k] by that grade's inclusions. */
export function inclusionVisibility(options: VisibilityOptions): Record<string, number[][]> {
  const { grades, stones, seed, sizePx, levels } = options;
  const counts: Record<string, number[][]> = Object.fromEntries(grades.map((g) => [g, levels.map(() => [])]));
  for (let i = 0; i < stones; i++) {
    const stone = sampleStone(createRng(hashSeed(seed, i, 1)));
    const mesh = buildMesh(stone.proportions);
    const renderSeed = hashSeed(seed, i, 2);
    const clean = renderStone({ ...stone, inclusions: [] }, { sizePx, seed: renderSeed }).rgb;
    for (const grade of grades) {
      const inclusions = sampleInclusions(grade, mesh, createRng(hashSeed(seed, i, 3)));
      const withThem = renderStone({ ...stone, inclusions }, { sizePx, seed: renderSeed }).rgb;
      levels.forEach((level, k) => counts[grade][k].push(changedPixels(clean, withThem, level)));
    }
  }
  return counts;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
