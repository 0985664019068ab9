/**
 * Coarse-to-fine girdle search. The full-frame search costs most of the quality gate at
 * 960×540 (~23 ms here), yet the stone covers a tenth of the frame. So: find the stone on a
 * copy sampled every 4th pixel, then run the same exact search in a window around it at full
 * resolution. Whenever the shortcut could answer differently from the full search (nothing
 * found coarse, nothing found in the window, or the stone touches the window's edge), the
 * full-frame search answers instead, so the gate's decisions are the full search's.
 */
import { locateStone, type LocateOptions, type StoneFinding } from './locate.ts';
import { estimateTrayColour } from './tray.ts';
import type { RgbImage } from './types.ts';

export const COARSE_FACTOR = 4;
/** The fine window reaches this far past the coarse girdle (fraction of its radius), plus a few pixels. */
export const WINDOW_MARGIN = 0.2;
/** Below this short side the frame is small enough to search whole. */
const MIN_SIDE_FOR_COARSE = 240;

/**
 * The centre pixel of each f×f block (the last partial blocks are dropped): 1/f² of the reads
 * of a block mean. The coarse pass only places the fine window, and the fine pass (or the
 * full search) makes every decision, so a noisy pixel here can cost time but not an answer.
 */
export function downsampleStride(image: RgbImage, f: number): RgbImage {
  const W = Math.floor(image.width / f);
  const H = Math.floor(image.height / f);
  const out = new Uint8Array(W * H * 3);
  const offset = f >> 1;
  for (let y = 0; y < H; y++) {
    const srcRow = (y * f + offset) * image.width;
    for (let x = 0; x < W; x++) {
      const p = (srcRow + x * f + offset) * 3;
      const o = (y * W + x) * 3;
      out[o] = image.data[p];
      out[o + 1] = image.data[p + 1];
      out[o + 2] = image.data[p + 2];
    }
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

  const coarse = locateStone(downsampleStride(image, COARSE_FACTOR), { ...options, trayColour: tray });
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
