import { describe, expect, it } from 'vitest';
import { absorptionPerMm } from '../../models/synth/colour.ts';
import { COLOUR_GRADES } from '../../models/synth/grades.ts';
import { meanOverStone, renderIdeal, yellowChroma } from './helpers.ts';

describe('Beer–Lambert body colour', () => {
  it('absorbs more toward blue, and nothing for D', () => {
    expect(absorptionPerMm('D', 6.5)).toEqual([0, 0, 0]);
    const [r, g, b] = absorptionPerMm('K', 6.5);
    expect(r).toBeLessThan(g);
    expect(g).toBeLessThan(b);
  });

  it('a D stone renders with less yellow chroma than a K stone in the same pose', () => {
    const d = meanOverStone(renderIdeal({ colour: 'D' }), yellowChroma);
    const k = meanOverStone(renderIdeal({ colour: 'K' }), yellowChroma);
    expect(k - d).toBeGreaterThan(3);
  });

  it('D to Z is a monotone, roughly even ladder of yellow tint', () => {
    const ladder = ['D', 'G', 'J', 'M', 'P', 'S', 'V', 'Z'] as const;
    const chroma = ladder.map((colour) => meanOverStone(renderIdeal({ colour }), yellowChroma));
    const steps = chroma.slice(1).map((c, i) => c - chroma[i]);
    for (const step of steps) expect(step).toBeGreaterThan(0);
    // "Roughly even": no step more than 2.5× another (Beer–Lambert saturates slowly toward Z).
    expect(Math.max(...steps) / Math.min(...steps)).toBeLessThan(2.5);
    expect(ladder.length).toBeLessThan(COLOUR_GRADES.length);
  });
});
