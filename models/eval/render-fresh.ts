/**
 * Fresh renders for an evaluation: stone i of seed S is models/synth's job (S, i), the same
 * draw `loupe synth --seed S` would write, rendered in the synth worker pool.
 */
import { RenderPool, type RenderResult } from '../synth/pool.ts';
import type { StoneLabels } from '../synth/index.ts';
import type { RgbImage } from '../../device/vision/types.ts';

export interface FreshStone {
  index: number;
  labels: StoneLabels;
  image: RgbImage;
}

export interface RenderFreshOptions {
  count: number;
  seed: number;
  sizePx?: number;
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

export async function renderFresh(options: RenderFreshOptions): Promise<FreshStone[]> {
  const sizePx = options.sizePx ?? 160;
  const stones: FreshStone[] = new Array(options.count);
  const pool = new RenderPool(options.workers);
  let done = 0;
  try {
    const jobs = Array.from({ length: options.count }, (_, index) => ({ seed: options.seed, index, sizePx }));
    await pool.run(jobs, (result: RenderResult) => {
      if (!result.rgb || !result.width || !result.height) throw new Error(`render ${result.index} came back without pixels`);
      stones[result.index] = { index: result.index, labels: result.labels, image: { width: result.width, height: result.height, data: result.rgb } };
      options.onProgress?.(++done, options.count);
    });
  } finally {
    await pool.stop();
  }
  return stones;
}
