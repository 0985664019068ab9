/**
 * The tray: the light-grey background every frame is taken on. Its colour is estimated from
 * the frame's border rather than assumed, so a warmer LED or a different tray still works.
 */
import type { Rgb, RgbImage } from './types.ts';

/**
 * The renderer's tray under the device light box (measured on renders: 213–216 in sRGB; albedo 0.8 × radiance 0.92 through
 * the sensor model); used to flatten alpha before there is a frame to measure.
 */
export const DEFAULT_TRAY_COLOUR: Rgb = [215, 215, 215];

/** Width of the border band sampled for the tray colour, as a fraction of the short side. */
export const TRAY_BORDER_FRACTION = 0.04;

export function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}

function medianOfHistogram(hist: Uint32Array, total: number): number {
  let seen = 0;
  for (let v = 0; v < hist.length; v++) {
    seen += hist[v];
    if (seen * 2 >= total) return v;
  }
  return hist.length - 1;
}

/** Per-channel median of the border band: robust to a stone or dust touching the edge. */
export function estimateTrayColour(image: RgbImage): Rgb {
  const { width: W, height: H, data } = image;
  const band = Math.max(1, Math.round(Math.min(W, H) * TRAY_BORDER_FRACTION));
  const hists = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)];
  let total = 0;
  for (let y = 0; y < H; y++) {
    const edgeRow = y < band || y >= H - band;
    for (let x = 0; x < W; x++) {
      if (!edgeRow && x >= band && x < W - band) {
        x = W - band - 1;
        continue;
      }
      const p = (y * W + x) * 3;
      hists[0][data[p]]++;
      hists[1][data[p + 1]]++;
      hists[2][data[p + 2]]++;
      total++;
    }
  }
  return [medianOfHistogram(hists[0], total), medianOfHistogram(hists[1], total), medianOfHistogram(hists[2], total)];
}
