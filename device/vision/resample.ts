/**
 * Antialiased bilinear (triangle-filter) resampling of a sub-pixel box, bit-for-bit the
 * algorithm of Pillow's `Image.resize(size, Image.BILINEAR, box=...)` on an 8-bit image:
 * - output pixel i samples around  centre = box0 + (i + 0.5) × scale,  scale = boxSide / outSide;
 * - the triangle's support widens to max(1, scale) source pixels when shrinking (antialias);
 * - weights are normalised, then quantised to 22-bit fixed point as Pillow does;
 * - horizontal pass first, rounded to 8 bits, then the vertical pass, rounded to 8 bits.
 * Source pixels outside the image read as `fill` (the same as padding the image with it first).
 * torch's `F.interpolate(mode='bilinear', antialias=True, align_corners=False)` uses the same
 * kernel but without the intermediate rounding, so it differs by at most ±1 level.
 */
import type { RgbImage, Rgb } from './types.ts';

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

interface Taps {
  /** First source index for each output index (may be negative / past the end). */
  first: Int32Array;
  count: Int32Array;
  /** Fixed-point weights, `maxTaps` per output index. */
  weights: Int32Array;
  maxTaps: number;
}

function triangle(x: number): number {
  const a = Math.abs(x);
  return a < 1 ? 1 - a : 0;
}

export function precomputeTaps(in0: number, in1: number, outSize: number): Taps {
  const scale = (in1 - in0) / outSize;
  const filterScale = Math.max(1, scale);
  const support = filterScale; // the triangle's support is 1, widened by filterScale
  const maxTaps = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * maxTaps);
  const raw = new Float64Array(maxTaps);
  for (let i = 0; i < outSize; i++) {
    const centre = in0 + (i + 0.5) * scale;
    const xmin = Math.floor(centre - support + 0.5);
    const n = Math.min(Math.floor(centre + support + 0.5) - xmin, maxTaps);
    let total = 0;
    for (let t = 0; t < n; t++) {
      const w = triangle((t + xmin - centre + 0.5) / filterScale);
      raw[t] = w;
      total += w;
    }
    first[i] = xmin;
    count[i] = n;
    for (let t = 0; t < n; t++) {
      const k = total === 0 ? 0 : raw[t] / total;
      weights[i * maxTaps + t] = k < 0 ? Math.trunc(-0.5 + k * ONE) : Math.trunc(0.5 + k * ONE);
    }
  }
  return { first, count, weights, maxTaps };
}

function clip8(fixed: number): number {
  const v = Math.floor(fixed / ONE);
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** Resample `box` of `image` to outW × outH packed RGB. */
export function resampleBox(image: RgbImage, box: Box, outW: number, outH: number, fill: Rgb): Uint8Array {
  const { width: W, height: H, data } = image;
  const hTaps = precomputeTaps(box.x0, box.x1, outW);
  const vTaps = precomputeTaps(box.y0, box.y1, outH);
  // Rows the vertical pass will read, so the horizontal pass only computes those.
  const rowFirst = vTaps.first[0];
  const rowLast = vTaps.first[outH - 1] + vTaps.count[outH - 1];
  const rows = rowLast - rowFirst;
  const temp = new Uint8Array(rows * outW * 3);
  for (let r = 0; r < rows; r++) {
    const y = rowFirst + r;
    const inside = y >= 0 && y < H;
    for (let i = 0; i < outW; i++) {
      let s0 = HALF;
      let s1 = HALF;
      let s2 = HALF;
      const x0 = hTaps.first[i];
      const base = i * hTaps.maxTaps;
      for (let t = 0; t < hTaps.count[i]; t++) {
        const w = hTaps.weights[base + t];
        const x = x0 + t;
        if (inside && x >= 0 && x < W) {
          const p = (y * W + x) * 3;
          s0 += w * data[p];
          s1 += w * data[p + 1];
          s2 += w * data[p + 2];
        } else {
          s0 += w * fill[0];
          s1 += w * fill[1];
          s2 += w * fill[2];
        }
      }
      const q = (r * outW + i) * 3;
      temp[q] = clip8(s0);
      temp[q + 1] = clip8(s1);
      temp[q + 2] = clip8(s2);
    }
  }
  const out = new Uint8Array(outW * outH * 3);
  for (let j = 0; j < outH; j++) {
    const base = j * vTaps.maxTaps;
    const r0 = vTaps.first[j] - rowFirst;
    for (let i = 0; i < outW; i++) {
      let s0 = HALF;
      let s1 = HALF;
      let s2 = HALF;
      for (let t = 0; t < vTaps.count[j]; t++) {
        const w = vTaps.weights[base + t];
        const q = ((r0 + t) * outW + i) * 3;
        s0 += w * temp[q];
        s1 += w * temp[q + 1];
        s2 += w * temp[q + 2];
      }
      const o = (j * outW + i) * 3;
      out[o] = clip8(s0);
      out[o + 1] = clip8(s1);
      out[o + 2] = clip8(s2);
    }
  }
  return out;
}
