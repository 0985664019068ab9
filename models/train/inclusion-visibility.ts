/**
 * How many pixels do a clarity grade's inclusions change? Renders the same stone (proportions,
 * pose, dust, sensor noise) with no inclusions and with each grade's, and counts the pixels that
 * differ by at least 4 and 10 levels (8-bit). Evidence for models/train/NOTES.md §7.
 *
 *   node --import tsx models/train/inclusion-visibility.ts [--stones 12] [--seed 777]
 */
import { parseArgs } from 'node:util';
import { sampleInclusions } from '../synth/clarity.ts';
import { buildMesh } from '../synth/geometry.ts';
import { CLARITY_GRADES, createRng, hashSeed, renderStone, sampleStone } from '../synth/index.ts';

const { values } = parseArgs({ options: { stones: { type: 'string', default: '12' }, seed: { type: 'string', default: '777' } } });
const stones = Number(values.stones);
const seed = Number(values.seed);

function changedPixels(a: Uint8Array, b: Uint8Array, level: number): number {
  let n = 0;
  for (let p = 0; p < a.length; p += 3) {
    const d = Math.max(Math.abs(a[p] - b[p]), Math.abs(a[p + 1] - b[p + 1]), Math.abs(a[p + 2] - b[p + 2]));
    if (d >= level) n++;
  }
  return n;
}

const counts: Record<string, number[]> = Object.fromEntries(CLARITY_GRADES.map((g) => [g, []]));
for (let i = 0; i < stones; i++) {
  const stone = sampleStone(createRng(hashSeed(seed, i, 1)));
  const mesh = buildMesh(stone.proportions);
  const renderSeed = hashSeed(seed, i, 2);
  const clean = renderStone({ ...stone, inclusions: [] }, { sizePx: 160, seed: renderSeed }).rgb;
  for (const grade of CLARITY_GRADES) {
    const inclusions = sampleInclusions(grade, mesh, createRng(hashSeed(seed, i, 3)));
    const withThem = renderStone({ ...stone, inclusions }, { sizePx: 160, seed: renderSeed }).rgb;
    counts[grade].push(changedPixels(clean, withThem, 4));
  }
}
console.log(`pixels changed by >= 4 levels (of 160 x 160), ${stones} stones, min / median / max:`);
for (const grade of CLARITY_GRADES) {
  const sorted = [...counts[grade]].sort((a, b) => a - b);
  console.log(`${grade.padEnd(5)} ${sorted[0]} / ${sorted[Math.floor(sorted.length / 2)]} / ${sorted[sorted.length - 1]}`);
}
