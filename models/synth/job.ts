/** One data-set image: the stone and its render both follow from (seed, index) alone. */
import { hashSeed, createRng } from './rng.ts';
import { renderStone, type RenderedStone } from './render.ts';
import { type StoneSpec, sampleStone } from './stone.ts';
import type { ClarityGrade } from './grades.ts';
import { drawMarketRow } from './market.ts';

export interface RenderJob {
  seed: number;
  index: number;
  sizePx: number;
  samplesPerPixel?: number;
}

/** The stone at `index` of a seed's stream, without rendering it (its mesh and carat: about 12 ms). */
export function stoneAt(seed: number, index: number): StoneSpec {
  return sampleStone(createRng(hashSeed(seed, index, 1)));
}

export function renderJob(job: RenderJob): RenderedStone {
  return renderStone(stoneAt(job.seed, job.index), { sizePx: job.sizePx, seed: hashSeed(job.seed, job.index, 2), samplesPerPixel: job.samplesPerPixel });
}

/**
 * Indices among the first `scan` of a seed's stream whose stone has one of `grades`: a data
 * set of only those rows is byte-identical to the same rows of the full set (each image
 * follows from seed and index alone), so a subset can be rendered at a cost the full set
 * would not allow, e.g. the rarer top clarity grades at a higher resolution.
 */
export function indicesWithClarity(seed: number, scan: number, grades: readonly ClarityGrade[]): number[] {
  const wanted = new Set(grades);
  const out: number[] = [];
  // sampleStone draws the market row first, so its clarity is known without building the mesh.
  for (let index = 0; index < scan; index++) if (wanted.has(drawMarketRow(createRng(hashSeed(seed, index, 1))).clarity)) out.push(index);
  return out;
}

export function imageFileName(index: number): string {
  return `${String(index).padStart(6, '0')}.png`;
}
