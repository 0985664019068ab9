/** The quality gate's measurements, as pure functions of the decoded frame. */
import { luma } from './tray.ts';
import type { RgbImage, StoneLocation } from './types.ts';

/** A channel at or above this counts as a clipped highlight. */
export const HIGHLIGHT_CLIP_LEVEL = 250;
/** Every channel at or below this counts as a clipped shadow. */
export const SHADOW_CLIP_LEVEL = 5;

/**
 * Fractions of clipped pixels, read on every `step`-th pixel of every `step`-th row. The gate
 * uses step 2: a quarter of a 960×540 frame is 130,000 samples, which puts the fraction within
 * a fraction of a per cent of the full count, far inside its 20 % threshold.
 */
export function clippedFractions(image: RgbImage, step = 1): { highlights: number; shadows: number } {
  const { data, width, height } = image;
  let high = 0;
  let low = 0;
  let n = 0;
  for (let y = 0; y < height; y += step) {
    for (let x = 0; x < width; x += step) {
      const p = (y * width + x) * 3;
      const r = data[p];
      const g = data[p + 1];
      const b = data[p + 2];
      if (r >= HIGHLIGHT_CLIP_LEVEL || g >= HIGHLIGHT_CLIP_LEVEL || b >= HIGHLIGHT_CLIP_LEVEL) high++;
      else if (r <= SHADOW_CLIP_LEVEL && g <= SHADOW_CLIP_LEVEL && b <= SHADOW_CLIP_LEVEL) low++;
      n++;
    }
  }
  return { highlights: high / n, shadows: low / n };
}

/**
 * Variance of the 4-neighbour Laplacian of luma over the pixels inside `radiusFraction` of the
 * girdle. Sharp facet edges give a high variance; defocus flattens it.
 */
export function laplacianVariance(image: RgbImage, stone: StoneLocation, radiusFraction = 0.95): number {
  const { width: W, height: H, data } = image;
  const r = (stone.diameterPx / 2) * radiusFraction;
  const x0 = Math.max(1, Math.floor(stone.centreX - r));
  const x1 = Math.min(W - 2, Math.ceil(stone.centreX + r));
  const y0 = Math.max(1, Math.floor(stone.centreY - r));
  const y1 = Math.min(H - 2, Math.ceil(stone.centreY + r));
  const L = (x: number, y: number): number => {
    const p = (y * W + x) * 3;
    return luma(data[p], data[p + 1], data[p + 2]);
  };
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const dx = x - stone.centreX;
      const dy = y - stone.centreY;
      if (dx * dx + dy * dy > r * r) continue;
      const lap = L(x - 1, y) + L(x + 1, y) + L(x, y - 1) + L(x, y + 1) - 4 * L(x, y);
      n++;
      sum += lap;
      sumSq += lap * lap;
    }
  }
  if (n === 0) return 0;
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

export function medianLuma(values: readonly [number, number, number]): number {
  return luma(values[0], values[1], values[2]);
}
