import { describe, it, expect } from 'vitest';
import { fitCircle, fitCircleRobust } from '../../device/vision/circle-fit.ts';
import { locateStone } from '../../device/vision/locate.ts';
import { createRng, hashSeed, renderStone, sampleStone } from '../../models/synth/index.ts';
import type { RgbImage } from '../../device/vision/types.ts';

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))];
}

/** A tray with a disc drawn at sub-pixel precision (4×4 supersampled coverage). */
function disc(width: number, height: number, cx: number, cy: number, r: number, tray = 214, ink = 60): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let inside = 0;
      for (let j = 0; j < 4; j++) for (let i = 0; i < 4; i++) if (Math.hypot(x + (i + 0.5) / 4 - cx, y + (j + 0.5) / 4 - cy) < r) inside++;
      const v = Math.round(tray + ((ink - tray) * inside) / 16);
      data.set([v, v, v], (y * width + x) * 3);
    }
  }
  return { width, height, data };
}

describe('circle fits', () => {
  it('fitCircle recovers an exact circle', () => {
    const pts = Array.from({ length: 40 }, (_, i) => ({ x: 30 + 12 * Math.cos(i / 6), y: -5 + 12 * Math.sin(i / 6) }));
    const c = fitCircle(pts)!;
    expect(c.cx).toBeCloseTo(30, 6);
    expect(c.cy).toBeCloseTo(-5, 6);
    expect(c.r).toBeCloseTo(12, 6);
    expect(fitCircle([{ x: 0, y: 0 }, { x: 1, y: 1 }, { x: 2, y: 2 }])).toBeNull();
  });

  it('fitCircleRobust ignores bites and specks that a plain fit would follow', () => {
    const pts = Array.from({ length: 180 }, (_, i) => {
      const a = (2 * Math.PI * i) / 180;
      const r = i < 30 ? 35 : i % 13 === 0 ? 70 : 50; // a bitten-out sector on one side, dust outward
      return { x: 100 + r * Math.cos(a), y: 80 + r * Math.sin(a) };
    });
    const plain = fitCircle(pts)!;
    const robust = fitCircleRobust(pts)!.circle;
    expect(Math.abs(plain.r - 50)).toBeGreaterThan(0.5);
    expect(robust.r).toBeCloseTo(50, 3);
    expect(robust.cx).toBeCloseTo(100, 3);
  });
});

describe('locateStone on drawn discs', () => {
  it('finds a dark disc to about a pixel (a thresholded outline sits up to half a pixel out per side)', () => {
    const f = locateStone(disc(200, 150, 97.3, 71.8, 40.25))!;
    expect(Math.abs(f.centreX - 97.3)).toBeLessThan(0.3);
    expect(Math.abs(f.centreY - 71.8)).toBeLessThan(0.3);
    expect(Math.abs(f.diameterPx - 80.5)).toBeLessThan(1.5);
    expect(f.cutOff).toBe(false);
  });

  it('flags a disc that runs off the frame', () => {
    const f = locateStone(disc(200, 150, 20, 75, 40))!;
    expect(f.cutOff).toBe(true);
  });

  it('finds nothing on an empty tray or one with only dust', () => {
    expect(locateStone(disc(200, 150, -100, -100, 1))).toBeNull();
    expect(locateStone(disc(200, 150, 60, 60, 2))).toBeNull();
  });
});

describe('locateStone on renders (truth from the renderer labels)', () => {
  // 100 renders at the training size (~15 s); `loupe bench vision` runs 200. Bound: 2 % of diameter.
  const RENDERS = 100;
  it(`is within ~2 % of the girdle diameter over ${RENDERS} renders`, () => {
    const centre: number[] = [];
    const diameter: number[] = [];
    let notFound = 0;
    for (let i = 0; i < RENDERS; i++) {
      const seed = hashSeed(777, i);
      const r = renderStone(sampleStone(createRng(seed)), { sizePx: 160, seed });
      const f = locateStone({ width: r.width, height: r.height, data: r.rgb });
      if (!f) {
        notFound++;
        continue;
      }
      expect(f.cutOff).toBe(false);
      const L = r.labels;
      centre.push(Math.hypot(f.centreX - L.centre_x_px, f.centreY - L.centre_y_px) / L.diameter_px);
      diameter.push((f.diameterPx - L.diameter_px) / L.diameter_px);
    }
    const abs = diameter.map(Math.abs);
    const bias = diameter.reduce((a, b) => a + b, 0) / diameter.length;
    console.log(
      `locate over ${RENDERS} renders: centre error median ${(100 * quantile(centre, 0.5)).toFixed(2)} %, p95 ${(100 * quantile(centre, 0.95)).toFixed(2)} %, max ${(100 * Math.max(...centre)).toFixed(2)} %; ` +
        `diameter error mean ${(100 * bias).toFixed(2)} %, p95 |${(100 * quantile(abs, 0.95)).toFixed(2)}| %, max |${(100 * Math.max(...abs)).toFixed(2)}| %`,
    );
    expect(notFound).toBe(0);
    expect(quantile(centre, 0.95)).toBeLessThan(0.01);
    expect(Math.max(...centre)).toBeLessThan(0.02);
    expect(quantile(abs, 0.95)).toBeLessThan(0.02);
    expect(Math.max(...abs)).toBeLessThan(0.03);
    expect(Math.abs(bias)).toBeLessThan(0.01);
  });
});
