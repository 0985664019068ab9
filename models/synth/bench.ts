/**
 * Renderer benchmark: images per second per core at 160 px, the whole pool, and how the
 * cost grows with image size and samples per pixel (ratios measured side by side).
 */
import { availableParallelism } from 'node:os';
import { renderJob } from './job.ts';
import { RenderPool } from './pool.ts';

function msPerImage(count: number, sizePx: number, samplesPerPixel = 1): number {
  const started = performance.now();
  for (let index = 0; index < count; index++) renderJob({ seed: 4040, index, sizePx, samplesPerPixel });
  return (performance.now() - started) / count;
}

export async function runSynthBench(options: { images?: number } = {}): Promise<Record<string, unknown>> {
  const n = options.images ?? 24;
  renderJob({ seed: 1, index: 0, sizePx: 64 }); // warm the JIT
  const base = msPerImage(n, 160);
  const bySize = Object.fromEntries([80, 160, 320].map((size) => [size, size === 160 ? base : msPerImage(Math.max(4, Math.round((n * 160 * 160) / (size * size))), size)]));
  const bySpp = Object.fromEntries([1, 4, 9].map((spp) => [spp, spp === 1 ? base : msPerImage(Math.max(4, Math.round(n / spp)), 160, spp)]));

  const cores = availableParallelism();
  const pool = new RenderPool(cores);
  const poolCount = n * cores * 2;
  const started = performance.now();
  try {
    await pool.run(Array.from({ length: poolCount }, (_, index) => ({ seed: 5050, index, sizePx: 160 })), () => {});
  } finally {
    await pool.stop();
  }
  const poolRate = poolCount / ((performance.now() - started) / 1000);
  return {
    'images/s per core at 160 px': +(1000 / base).toFixed(2),
    [`images/s with the pool (${cores} workers)`]: +poolRate.toFixed(2),
    'minutes for 20,000 images with the pool (goal < 20)': +(20000 / poolRate / 60).toFixed(1),
    'cost vs size (ms/image; ratio to 160 px)': Object.fromEntries(Object.entries(bySize).map(([k, v]) => [`${k} px`, `${v.toFixed(1)} ms (${(v / base).toFixed(2)}×)`])),
    'cost vs samples per pixel at 160 px': Object.fromEntries(Object.entries(bySpp).map(([k, v]) => [`${k} spp`, `${v.toFixed(1)} ms (${(v / base).toFixed(2)}×)`])),
  };
}
