import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { precomputeTaps, resampleBox } from '../../device/vision/resample.ts';
import type { Rgb, RgbImage } from '../../device/vision/types.ts';

interface Reference {
  width: number;
  height: number;
  fill: [number, number, number];
  cases: Array<{ name: string; box: [number, number, number, number]; size: [number, number]; rgb: number[] }>;
}

const reference = JSON.parse(readFileSync(new URL('../fixtures/pillow/resample-reference.json', import.meta.url), 'utf8')) as Reference;

/** The same formula as test/fixtures/pillow/make_reference.py. */
function patternImage(W: number, H: number): RgbImage {
  const data = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = (y * W + x) * 3;
      data[p] = (x * 37 + y * 11) % 256;
      data[p + 1] = (x * x * 3 + y * 29) % 256;
      data[p + 2] = ((x ^ y) * 19 + 7) % 256;
    }
  }
  return { width: W, height: H, data };
}

describe('resampleBox against Pillow (Image.resize BILINEAR with box)', () => {
  const image = patternImage(reference.width, reference.height);
  for (const c of reference.cases) {
    it(`${c.name}: byte-identical to Pillow`, () => {
      const [x0, y0, x1, y1] = c.box;
      const out = resampleBox(image, { x0, y0, x1, y1 }, c.size[0], c.size[1], reference.fill as Rgb);
      expect(Array.from(out)).toEqual(c.rgb);
    });
  }
});

describe('resampleBox basics', () => {
  it('an identity box returns the image unchanged', () => {
    const image = patternImage(9, 6);
    expect(Array.from(resampleBox(image, { x0: 0, y0: 0, x1: 9, y1: 6 }, 9, 6, [0, 0, 0]))).toEqual(Array.from(image.data));
  });

  it('halving averages each 2×2 block with the triangle weights (1/8, 3/8, 3/8, 1/8 across 4 taps)', () => {
    // One row of 4 pixels 0, 80, 160, 240 → 2 outputs; the triangle is 2 px wide each side.
    const data = new Uint8Array([0, 0, 0, 80, 80, 80, 160, 160, 160, 240, 240, 240]);
    const out = resampleBox({ width: 4, height: 1, data }, { x0: 0, y0: 0, x1: 4, y1: 1 }, 2, 1, [0, 0, 0]);
    // Taps for output 0: x=-1 (fill 0, w .25), 0 (.75), 1 (.75), 2 (.25): (0*.75 + 80*.75 + 160*.25)/2 = 50
    expect(out[0]).toBe(50);
    // Output 1: x=1 (.25), 2 (.75), 3 (.75), 4 (fill 0, .25): (80*.25 + 160*.75 + 240*.75)/2 = 160
    expect(out[3]).toBe(160);
  });

  it('taps outside the image read the fill colour', () => {
    const data = new Uint8Array([100, 100, 100]);
    const out = resampleBox({ width: 1, height: 1, data }, { x0: 5, y0: 5, x1: 6, y1: 6 }, 1, 1, [7, 8, 9]);
    expect(Array.from(out)).toEqual([7, 8, 9]);
  });

  it('taps widen with the shrink factor (antialias) and weights sum to 1 in fixed point', () => {
    const taps = precomputeTaps(0, 40, 4); // shrink 10×
    expect(taps.count[1]).toBeGreaterThanOrEqual(20);
    const sum = Array.from(taps.weights.subarray(taps.maxTaps, taps.maxTaps + taps.count[1])).reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - (1 << 22))).toBeLessThan(taps.count[1]);
  });
});
