/**
 * Coarse-to-fine girdle search. The full-frame search costs most of the quality gate at
 * 960×540 (~23 ms here), yet the stone covers a tenth of the frame. So: find the stone on a
 * 4× box-downsampled copy, then run the same exact search in a window around it at full
 * resolution. Whenever the shortcut could answer differently from the full search (nothing
 * found coarse, nothing found in the window, or the stone touches the window's edge), the
 * full-frame search answers instead, so the gate's decisions are the full search's.
 */
import { locateStone, type LocateOptions, type StoneFinding } from './locate.ts';
import { estimateTrayColour } from './tray.ts';
import type { RgbImage } from './types.ts';

export const COARSE_FACTOR = 4;
/** The fine window reaches this far past the coarse girdle (fraction of its radius), plus a few pixels. */
export const WINDOW_MARGIN = 0.3;
/** Below this short side the frame is small enough to search whole. */
const MIN_SIDE_FOR_COARSE = 240;

/** Mean of each f×f block (the last partial blocks are dropped). */
export function downsampleBox(image: RgbImage, f: number): RgbImage {
  const W = Math.floor(image.width / f);
  const H = Math.floor(image.height / f);
  const out = new Uint8Array(W * H * 3);
  const sums = new Uint32Array(W * 3);
  const area = f * f;
  const src = image.data;
  const rowBytes = W * f * 3;
  for (let y = 0; y < H; y++) {
    sums.fill(0);
    for (let dy = 0; dy < f; dy++) {
      const start = (y * f + dy) * image.width * 3;
      for (let i = 0; i < rowBytes; i += 3) {
        const o = ((i / (3 * f)) | 0) * 3;
        sums[o] += src[start + i];
        sums[o + 1] += src[start + i + 1];
        sums[o + 2] += src[start + i + 2];
      }
    }
    const row = y * W * 3;
    for (let i = 0; i < W * 3; i++) out[row + i] = (sums[i] + (area >> 1)) / area;
  }
  return { width: W, height: H, data: out };
}

export function cropRgb(image: RgbImage, x0: number, y0: number, width: number, height: number): RgbImage {
  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const start = ((y0 + y) * image.width + x0) * 3;
    out.set(image.data.subarray(start, start + width * 3), y * width * 3);
  }
  return { width, height, data: out };
}

export function locateStoneCoarseToFine(image: RgbImage, options: LocateOptions = {}): StoneFinding | null {
  const tray = options.trayColour ?? estimateTrayColour(image);
  const full = (): StoneFinding | null => locateStone(image, { ...options, trayColour: tray });
  if (Math.min(image.width, image.height) < MIN_SIDE_FOR_COARSE) return full();

  const coarse = locateStone(downsampleBox(image, COARSE_FACTOR), { ...options, trayColour: tray });
  if (!coarse || coarse.cutOff) return full();
  const cx = coarse.centreX * COARSE_FACTOR;
  const cy = coarse.centreY * COARSE_FACTOR;
  const reach = (coarse.diameterPx * COARSE_FACTOR * (1 + WINDOW_MARGIN)) / 2 + 2 * COARSE_FACTOR;
  const x0 = Math.max(0, Math.floor(cx - reach));
  const y0 = Math.max(0, Math.floor(cy - reach));
  const x1 = Math.min(image.width, Math.ceil(cx + reach));
  const y1 = Math.min(image.height, Math.ceil(cy + reach));
  const fine = locateStone(cropRgb(image, x0, y0, x1 - x0, y1 - y0), { ...options, trayColour: tray });
  // The window's "cut off" means "touches the window", which only the full search can judge.
  if (!fine || fine.cutOff) return full();
  return { ...fine, centreX: fine.centreX + x0, centreY: fine.centreY + y0 };
}
