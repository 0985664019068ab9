/**
 * How many pixels do a clarity grade's inclusions change? Renders the same stone with no
 * inclusions and with each grade's (models/synth/visibility.ts) and prints the pixels that
 * differ by at least 4, 10 and 25 levels (8-bit): 4 is any change at all, 25 (a tenth of the
 * range) one an eye sees among the facets. Evidence for models/train/NOTES.md §7 and §11.
 *
 *   node --import tsx models/train/inclusion-visibility.ts [--stones 12] [--seed 777] [--size 176]
 */
import { parseArgs } from 'node:util';
import { CLARITY_GRADES } from '../synth/index.ts';
import { inclusionVisibility } from '../synth/visibility.ts';

const { values } = parseArgs({ options: { stones: { type: 'string', default: '12' }, seed: { type: 'string', default: '777' }, size: { type: 'string', default: '176' } } });
const sizePx = Number(values.size);
const stones = Number(values.stones);
const levels = [4, 10, 25] as const;
const counts = inclusionVisibility({ grades: CLARITY_GRADES, stones, seed: Number(values.seed), sizePx, levels });

console.log(`pixels changed (of ${sizePx} x ${sizePx}), ${stones} stones, min / median / max, by at least ${levels.join(' | ')} levels:`);
for (const grade of CLARITY_GRADES) {
  const cells = counts[grade].map((perStone) => {
    const sorted = [...perStone].sort((a, b) => a - b);
    return `${sorted[0]} / ${sorted[Math.floor(sorted.length / 2)]} / ${sorted[sorted.length - 1]}`.padEnd(20);
  });
  console.log(`${grade.padEnd(5)} ${cells.join(' | ')}`);
}
