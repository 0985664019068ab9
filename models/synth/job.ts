/** One data-set image: the stone and its render both follow from (seed, index) alone. */
import { hashSeed, createRng } from './rng.ts';
import { renderStone, type RenderedStone } from './render.ts';
import { sampleStone } from './stone.ts';

export interface RenderJob {
  seed: number;
  index: number;
  sizePx: number;
  samplesPerPixel?: number;
}

export function renderJob(job: RenderJob): RenderedStone {
  const spec = sampleStone(createRng(hashSeed(job.seed, job.index, 1)));
  return renderStone(spec, { sizePx: job.sizePx, seed: hashSeed(job.seed, job.index, 2), samplesPerPixel: job.samplesPerPixel });
}

export function imageFileName(index: number): string {
  return `${String(index).padStart(6, '0')}.png`;
}
