import { describe, expect, it } from 'vitest';
import { meanOverViews } from '../../device/inference/combine-views.ts';
import { VIEW_NAMES, viewBatch, type ViewName } from '../../device/vision/views.ts';

/** A 4×4 crop whose red channel numbers the pixels 0–15 row by row (green and blue follow it). */
function numbered(size = 4): Uint8Array {
  const rgb = new Uint8Array(size * size * 3);
  for (let p = 0; p < size * size; p++) rgb.set([p, p + 100, p + 200], p * 3);
  return rgb;
}
/** The red plane of `view` of a size × size crop, as the device's batch holds it (no normalisation). */
function red(rgb: Uint8Array, view: ViewName, size = 4): number[] {
  const batch = viewBatch([rgb], { size, mean: [0, 0, 0], std: [1, 1, 1], scale: 1, crop: { factor: 1.12 }, views: view === 'identity' ? ['identity'] : ['identity', view] });
  const row = view === 'identity' ? 0 : 1;
  return Array.from(batch.data.subarray(row * 3 * size * size, row * 3 * size * size + size * size));
}

describe('test-time views of the crop', () => {
  it('match numpy: rot90 is np.rot90(crop, 1) (counter-clockwise), mirror flips left–right (the trainer\'s views.py)', () => {
    // Printed by numpy for np.arange(16).reshape(4, 4): np.rot90(a, 1) and a[:, ::-1].
    expect(red(numbered(), 'rot90')).toEqual([3, 7, 11, 15, 2, 6, 10, 14, 1, 5, 9, 13, 0, 4, 8, 12]);
    expect(red(numbered(), 'mirror')).toEqual([3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12]);
    // np.rot90(a, 1)[:, ::-1]
    expect(red(numbered(), 'rot90-mirror')).toEqual([15, 11, 7, 3, 14, 10, 6, 2, 13, 9, 5, 1, 12, 8, 4, 0]);
  });

  it('gives the 8 distinct symmetries of the square, moving whole pixels', () => {
    const seen = new Set(VIEW_NAMES.map((v) => red(numbered(), v).join(',')));
    expect(seen.size).toBe(8);
    // Green and blue move with red: pixel 3 (values 3, 103, 203) lands first under rot90.
    const batch = viewBatch([numbered()], { size: 4, mean: [0, 0, 0], std: [1, 1, 1], scale: 1, crop: { factor: 1.12 }, views: ['identity', 'rot90'] });
    expect([batch.data[48], batch.data[48 + 16], batch.data[48 + 32]]).toEqual([3, 103, 203]);
  });

  it('batches every view of every crop, stone by stone', () => {
    const spec = { size: 4, mean: [0, 0, 0], std: [1, 1, 1], scale: 1, crop: { factor: 1.12 }, views: ['identity', 'rot90'] as const };
    const batch = viewBatch([numbered(), numbered()], spec);
    expect(batch.dims).toEqual([4, 3, 4, 4]);
    expect(batch.views).toBe(2);
    const plane = 3 * 16;
    expect(Array.from(batch.data.subarray(0, 4))).toEqual([0, 1, 2, 3]); // stone 0, identity, red row 0
    expect(Array.from(batch.data.subarray(plane, plane + 4))).toEqual([3, 7, 11, 15]); // stone 0, rot90
    expect(Array.from(batch.data.subarray(2 * plane, 2 * plane + 4))).toEqual([0, 1, 2, 3]); // stone 1, identity
    expect(viewBatch([numbered()], { ...spec, views: undefined }).dims).toEqual([1, 3, 4, 4]);
  });

  it('averages each stone\'s rows of every output', () => {
    const outputs = { clarity: { data: Float32Array.from([1, 2, 3, 6, 10, 20, 30, 60]), dims: [4, 2] } };
    const mean = meanOverViews(outputs, 2);
    expect(mean.clarity.dims).toEqual([2, 2]);
    expect(Array.from(mean.clarity.data)).toEqual([2, 4, 20, 40]);
    expect(meanOverViews(outputs, 1)).toBe(outputs);
    expect(() => meanOverViews(outputs, 3)).toThrow(/not a multiple of 3 views/);
  });
});
