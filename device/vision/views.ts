/**
 * Test-time views of the model's input crop: symmetries of the square. A round brilliant's
 * face-up image is unchanged by them, so a release may ask (manifest input.views) for several
 * views of each stone, run as one batch and averaged (device/inference/combine-views.ts).
 * Bit for bit the trainer's (models/train/loupe_train/views.py): "rotK" is numpy's
 * rot90(crop, K) (counter-clockwise), "mirror" then flips left–right.
 */
import { normaliseCrop } from './tensor.ts';
import type { TensorInputSpec } from './types.ts';

export const VIEW_NAMES = ['identity', 'rot90', 'rot180', 'rot270', 'mirror', 'rot90-mirror', 'rot180-mirror', 'rot270-mirror'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

export const SINGLE_VIEW: readonly ViewName[] = ['identity'];

/** Packed RGB8 size × size → the same square seen in `view`. */
export function applyView(rgb: Uint8Array, size: number, view: ViewName): Uint8Array {
  if (view === 'identity') return rgb;
  const k = VIEW_NAMES.indexOf(view) % 4;
  const mirror = view.endsWith('mirror');
  const last = size - 1;
  const out = new Uint8Array(rgb.length);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const jj = mirror ? last - j : j;
      // numpy's rot90 k times: out[i][jj] = in[source row][source column]
      let si: number;
      let sj: number;
      if (k === 0) [si, sj] = [i, jj];
      else if (k === 1) [si, sj] = [jj, last - i];
      else if (k === 2) [si, sj] = [last - i, last - jj];
      else [si, sj] = [last - jj, i];
      const o = (i * size + j) * 3;
      const s = (si * size + sj) * 3;
      out[o] = rgb[s];
      out[o + 1] = rgb[s + 1];
      out[o + 2] = rgb[s + 2];
    }
  }
  return out;
}

export interface ViewBatch {
  data: Float32Array;
  dims: [number, 3, number, number];
  /** Views per stone: rows [n × views, (n + 1) × views) of the batch belong to stone n. */
  views: number;
}

/** Crops (packed RGB8 at spec.size) → one NCHW batch holding every view of every crop, stone by stone. */
export function viewBatch(crops: readonly Uint8Array[], spec: TensorInputSpec): ViewBatch {
  const views = spec.views ?? SINGLE_VIEW;
  const plane = 3 * spec.size * spec.size;
  const data = new Float32Array(crops.length * views.length * plane);
  let row = 0;
  for (const crop of crops) {
    for (const view of views) data.set(normaliseCrop(applyView(crop, spec.size, view), spec).data, row++ * plane);
  }
  return { data, dims: [row, 3, spec.size, spec.size], views: views.length };
}
