/**
 * Packs model-input crops (packed RGB8, size × size, as device/vision's cropStone makes them)
 * into one NCHW float32 batch, normalising each with the device's own normaliseCrop.
 */
import { normaliseCrop } from '../../device/vision/tensor.ts';
import type { TensorInputSpec } from '../../device/vision/types.ts';

export interface BatchTensor {
  data: Float32Array;
  dims: [number, 3, number, number];
}

export function batchCrops(crops: readonly Uint8Array[], spec: TensorInputSpec): BatchTensor {
  const plane = 3 * spec.size * spec.size;
  const data = new Float32Array(crops.length * plane);
  crops.forEach((crop, i) => data.set(normaliseCrop(crop, spec).data, i * plane));
  return { data, dims: [crops.length, 3, spec.size, spec.size] };
}
