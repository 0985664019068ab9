/**
 * Test-time views of the model's input crop: symmetries of the square. A round brilliant's
 * face-up image is unchanged by them, so a release may ask (manifest input.views) for several
 * views of each stone, run as one batch and averaged (device/inference/combine-views.ts).
 * Bit for bit the trainer's (models/train/loupe_train/views.py): "rotK" is numpy's
 * rot90(crop, K) (counter-clockwise), "mirror" then flips left–right.
 */
import { VisionError } from './errors.ts';
import { normaliseInto } from './tensor.ts';
import type { TensorInputSpec } from './types.ts';

export const VIEW_NAMES = ['identity', 'rot90', 'rot180', 'rot270', 'mirror', 'rot90-mirror', 'rot180-mirror', 'rot270-mirror'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

export const SINGLE_VIEW: readonly ViewName[] = ['identity'];

/**
 * For each output pixel (row-major, size × size), the source pixel it is read from in `view`:
 * numpy's rot90 k times (counter-clockwise), then a left–right flip for the mirror views.
 */
function sourceIndex(size: number, view: ViewName): Int32Array {
  const k = VIEW_NAMES.indexOf(view) % 4;
  const mirror = view.endsWith('mirror');
  const last = size - 1;
  const map = new Int32Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const jj = mirror ? last - j : j;
      let si: number;
      let sj: number;
      if (k === 0) [si, sj] = [i, jj];
      else if (k === 1) [si, sj] = [jj, last - i];
      else if (k === 2) [si, sj] = [last - i, last - jj];
      else [si, sj] = [last - jj, i];
      map[i * size + j] = si * size + sj;
    }
  }
  return map;
}

const sourceIndexCache = new Map<string, Int32Array>();
function cachedSourceIndex(size: number, view: ViewName): Int32Array {
  const key = `${size}:${view}`;
  let map = sourceIndexCache.get(key);
  if (!map) sourceIndexCache.set(key, (map = sourceIndex(size, view)));
  return map;
}

export interface ViewBatch {
  data: Float32Array;
  dims: [number, 3, number, number];
  /** Views per stone: rows [n × views, (n + 1) × views) of the batch belong to stone n. */
  views: number;
}

/**
 * Crops (packed RGB8 at spec.size) → one NCHW batch holding every view of every crop, stone by
 * stone. Each crop is normalised once, into its identity rows (views start with "identity");
 * the other views are gathers of those planes (a view only moves pixels, and normalisation is
 * per pixel). `into`, when it has the right length, is written instead of a new array: for a
 * caller that hands the batch straight to OnnxSession.run, which copies it before returning.
 */
export function viewBatch(crops: readonly Uint8Array[], spec: TensorInputSpec, into?: Float32Array): ViewBatch {
  const views = spec.views ?? SINGLE_VIEW;
  if (views[0] !== 'identity') throw new VisionError('TENSOR_SPEC_INVALID', `input.views must start with "identity", got "${views[0]}"`);
  const plane = spec.size * spec.size;
  const length = crops.length * views.length * 3 * plane;
  const data = into?.length === length ? into : new Float32Array(length);
  crops.forEach((crop, stone) => {
    const first = stone * views.length * 3 * plane;
    normaliseInto(crop, spec, data, first);
    for (let v = 1; v < views.length; v++) {
      const map = cachedSourceIndex(spec.size, views[v]);
      const offset = first + v * 3 * plane;
      for (let c = 0; c < 3; c++) {
        const from = first + c * plane;
        const to = offset + c * plane;
        for (let p = 0; p < plane; p++) data[to + p] = data[from + map[p]];
      }
    }
  });
  return { data, dims: [crops.length * views.length, 3, spec.size, spec.size], views: views.length };
}
