/**
 * The model input (docs/INTERFACES.md §2): a square of side crop.factor × girdle diameter,
 * centred on the girdle, padded with the tray colour where it runs off the frame, resampled to
 * size × size with Pillow's antialiased bilinear kernel (see resample.ts), then
 * (value / scale − mean[c]) / std[c] in NCHW float32 with batch 1.
 *
 * The trainer's Python equivalent, from the label columns:
 *   s = factor * diameter_px; P = ceil(s)  # pad so the box is always inside
 *   padded = ImageOps.expand(img, border=P, fill=tray)
 *   crop = padded.resize((size, size), Image.BILINEAR,
 *                        box=(cx - s/2 + P, cy - s/2 + P, cx + s/2 + P, cy + s/2 + P))
 */
import { resampleBox, type Box } from './resample.ts';
import { VisionError } from './errors.ts';
import { estimateTrayColour } from './tray.ts';
import type { RgbImage, Rgb, StoneLocation, TensorInputSpec } from './types.ts';

export interface InputTensor {
  data: Float32Array;
  dims: [1, 3, number, number];
}

export function cropBox(stone: StoneLocation, factor: number): Box {
  const half = (factor * stone.diameterPx) / 2;
  return { x0: stone.centreX - half, y0: stone.centreY - half, x1: stone.centreX + half, y1: stone.centreY + half };
}

function assertSpec(spec: TensorInputSpec): void {
  const problems: string[] = [];
  if (!Number.isInteger(spec.size) || spec.size < 1) problems.push(`input.size must be a positive integer, got ${spec.size}`);
  if (spec.mean.length !== 3) problems.push(`input.mean must have 3 values, got ${spec.mean.length}`);
  if (spec.std.length !== 3 || spec.std.some((s) => !(s > 0))) problems.push('input.std must be 3 positive values');
  if (!(spec.scale > 0)) problems.push(`input.scale must be positive, got ${spec.scale}`);
  if (!(spec.crop.factor > 0)) problems.push(`input.crop.factor must be positive, got ${spec.crop.factor}`);
  if (spec.layout !== undefined && spec.layout !== 'NCHW') problems.push(`input.layout "${spec.layout}" is not supported (only NCHW)`);
  if (spec.channelOrder !== undefined && spec.channelOrder !== 'RGB') problems.push(`input.channelOrder "${spec.channelOrder}" is not supported (only RGB)`);
  if (problems.length > 0) throw new VisionError('TENSOR_SPEC_INVALID', problems.join('; '));
}

/** The square crop as packed RGB8 (size × size); what the tensor is made of, and a thumbnail. */
export function cropStone(image: RgbImage, stone: StoneLocation, size: number, factor: number, padColour: Rgb): Uint8Array {
  if (!(stone.diameterPx > 0)) throw new VisionError('TENSOR_SPEC_INVALID', `stone diameter must be positive, got ${stone.diameterPx}`);
  return resampleBox(image, cropBox(stone, factor), size, size, padColour);
}

/** Normalise a packed RGB8 square (e.g. a golden crop) into the NCHW tensor. */
export function normaliseCrop(rgb: Uint8Array, spec: TensorInputSpec): InputTensor {
  const data = new Float32Array(spec.size * spec.size * 3);
  normaliseInto(rgb, spec, data, 0);
  return { data, dims: [1, 3, spec.size, spec.size] };
}

/** normaliseCrop's planes written into `out` from `offset` (one image of a batch). */
export function normaliseInto(rgb: Uint8Array, spec: TensorInputSpec, out: Float32Array, offset: number): void {
  assertSpec(spec);
  const plane = spec.size * spec.size;
  if (rgb.length !== plane * 3) {
    throw new VisionError('TENSOR_SPEC_INVALID', `crop has ${rgb.length} bytes, expected ${plane * 3} for ${spec.size}×${spec.size} RGB`);
  }
  for (let c = 0; c < 3; c++) {
    const mean = spec.mean[c];
    const std = spec.std[c];
    const start = offset + c * plane;
    for (let p = 0; p < plane; p++) out[start + p] = (rgb[p * 3 + c] / spec.scale - mean) / std;
  }
}

/** padColour defaults to the tray colour measured on the frame's border. */
export function buildInputTensor(image: RgbImage, stone: StoneLocation, spec: TensorInputSpec, padColour: Rgb = estimateTrayColour(image)): InputTensor {
  assertSpec(spec);
  return normaliseCrop(cropStone(image, stone, spec.size, spec.crop.factor, padColour), spec);
}
