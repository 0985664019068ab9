import { describe, it, expect } from 'vitest';
import { buildInputTensor, cropBox, cropStone, normaliseCrop } from '../../device/vision/tensor.ts';
import { VisionError } from '../../device/vision/errors.ts';
import type { RgbImage, TensorInputSpec } from '../../device/vision/types.ts';

const SPEC: TensorInputSpec = {
  size: 4,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  scale: 255,
  crop: { factor: 1.25 },
  layout: 'NCHW',
  channelOrder: 'RGB',
};

/** 4×4 image; pixel (x, y) = [10x + y, 100 + x, 200 − 10y]. */
function tiny(): RgbImage {
  const data = new Uint8Array(4 * 4 * 3);
  for (let y = 0; y < 4; y++) {
    for (let x = 0; x < 4; x++) {
      const p = (y * 4 + x) * 3;
      data[p] = 10 * x + y;
      data[p + 1] = 100 + x;
      data[p + 2] = 200 - 10 * y;
    }
  }
  return { width: 4, height: 4, data };
}

describe('buildInputTensor', () => {
  it('a crop box that is the whole 4×4 image gives the image, normalised, in NCHW', () => {
    // diameter 3.2 × factor 1.25 = side 4, centred at (2, 2): exactly the frame.
    const t = buildInputTensor(tiny(), { centreX: 2, centreY: 2, diameterPx: 3.2 }, SPEC, [0, 0, 0]);
    expect(t.dims).toEqual([1, 3, 4, 4]);
    expect(t.data.length).toBe(48);
    // R plane, pixel (x=3, y=1): 31 → (31/255 − 0.485) / 0.229
    expect(t.data[0 * 16 + 1 * 4 + 3]).toBeCloseTo((31 / 255 - 0.485) / 0.229, 5);
    // G plane, pixel (x=2, y=0): 102
    expect(t.data[1 * 16 + 0 * 4 + 2]).toBeCloseTo((102 / 255 - 0.456) / 0.224, 5);
    // B plane, pixel (x=0, y=3): 170
    expect(t.data[2 * 16 + 3 * 4 + 0]).toBeCloseTo((170 / 255 - 0.406) / 0.225, 5);
  });

  it('pads with the tray colour where the crop runs off the frame', () => {
    // Centre on the top-left corner: the left/top half of the crop is off the image.
    const crop = cropStone(tiny(), { centreX: 0, centreY: 0, diameterPx: 3.2 }, 4, 1.25, [50, 60, 70]);
    expect(Array.from(crop.subarray(0, 3))).toEqual([50, 60, 70]);
    // Bottom-right output pixel samples around (1.5, 1.5): inside the image, not the fill.
    const last = crop.subarray(15 * 3, 16 * 3);
    expect(Array.from(last)).not.toEqual([50, 60, 70]);
  });

  it('the crop box is factor × diameter wide and centred on the girdle', () => {
    expect(cropBox({ centreX: 100, centreY: 50, diameterPx: 40 }, 1.25)).toEqual({ x0: 75, y0: 25, x1: 125, y1: 75 });
  });

  it('defaults the pad colour to the tray measured on the frame border', () => {
    const data = new Uint8Array(20 * 20 * 3).fill(180);
    const image = { width: 20, height: 20, data };
    const t = buildInputTensor(image, { centreX: 1, centreY: 1, diameterPx: 8 }, SPEC);
    for (let c = 0; c < 3; c++) expect(t.data[c * 16]).toBeCloseTo((180 / 255 - SPEC.mean[c]) / SPEC.std[c], 5);
  });

  it('normaliseCrop refuses a crop of the wrong size', () => {
    expect(() => normaliseCrop(new Uint8Array(10), SPEC)).toThrowError(/expected 48/);
  });

  it.each([
    [{ ...SPEC, size: 0 }, /input.size/],
    [{ ...SPEC, std: [0.2, 0, 0.2] }, /input.std/],
    [{ ...SPEC, mean: [0.5] }, /input.mean/],
    [{ ...SPEC, layout: 'NHWC' }, /NHWC/],
    [{ ...SPEC, channelOrder: 'BGR' }, /BGR/],
    [{ ...SPEC, crop: { factor: -1 } }, /crop.factor/],
  ])('refuses a bad input spec with TENSOR_SPEC_INVALID (%#)', (spec, message) => {
    let caught: unknown;
    try {
      buildInputTensor(tiny(), { centreX: 2, centreY: 2, diameterPx: 3.2 }, spec as TensorInputSpec, [0, 0, 0]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(VisionError);
    expect((caught as VisionError).code).toBe('TENSOR_SPEC_INVALID');
    expect((caught as VisionError).message).toMatch(message);
  });

  it('refuses a stone of zero diameter', () => {
    expect(() => buildInputTensor(tiny(), { centreX: 2, centreY: 2, diameterPx: 0 }, SPEC, [0, 0, 0])).toThrowError(/diameter must be positive/);
  });
});
