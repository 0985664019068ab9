/**
 * Renderer benchmark (`loupe bench synth`): images per second per core at 160 px, the whole
 * pool, and how the cost grows with image size and samples per pixel, measured side by side.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchModule, BenchReport } from '../../device/bench/types.ts';
import { renderJob } from './job.ts';
import { RenderPool } from './pool.ts';

function msPerImage(count: number, sizePx: number, samplesPerPixel = 1): number {
  const started = performance.now();
  for (let index = 0; index < count; index++) renderJob({ seed: 4040, index, sizePx, samplesPerPixel });
  return (performance.now() - started) / count;
}

const r2 = (v: number): number => Math.round(v * 100) / 100;

export const bench: BenchModule = {
  name: 'synth',
  summary: 'renderer: images/s per core at 160 px, pool throughput, cost vs size and samples per pixel',
  async run({ quick, progress }): Promise<BenchReport> {
    const n = quick ? 6 : 24;
    renderJob({ seed: 1, index: 0, sizePx: 64 }); // warm the JIT
    progress(`synth: ${n} stones at 160 px on one core`);
    const base = msPerImage(n, 160);
    const sizes = [80, 160, 320];
    const bySize = sizes.map((size) => (size === 160 ? base : msPerImage(Math.max(3, Math.round((n * 160 * 160) / (size * size))), size)));
    const spps = [1, 4, 9];
    progress('synth: samples per pixel 1, 4, 9');
    const bySpp = spps.map((spp) => (spp === 1 ? base : msPerImage(Math.max(3, Math.round(n / spp)), 160, spp)));

    const cores = availableParallelism();
    const pool = new RenderPool(cores);
    const poolCount = (quick ? 10 : 40) * cores;
    const outDir = await mkdtemp(join(tmpdir(), 'loupe-synth-bench-'));
    let poolRate = 0;
    try {
      // Worker start-up (loader, imports, JIT) is paid once per data set, not per image: keep it off the clock.
      pool.start();
      await pool.run(Array.from({ length: cores }, (_, index) => ({ seed: 1, index, sizePx: 64 })), () => {});
      progress(`synth: ${poolCount} stones through the pool (${cores} workers), PNGs written as by loupe synth`);
      const started = performance.now();
      await pool.run(Array.from({ length: poolCount }, (_, index) => ({ seed: 5050, index, sizePx: 160, outDir })), () => {});
      poolRate = poolCount / ((performance.now() - started) / 1000);
    } finally {
      await pool.stop();
      await rm(outDir, { recursive: true, force: true });
    }
    const minutesFor20k = 20000 / poolRate / 60;
    return {
      name: 'synth',
      metrics: [
        { name: 'images/s per core at 160 px', value: r2(1000 / base), unit: 'images/s' },
        { name: `images/s, pool of ${cores}`, value: r2(poolRate), unit: 'images/s' },
        { name: '20,000 training images with the pool', value: r2(minutesFor20k), unit: 'min', goal: { op: '<=', value: 20 } },
        { name: 'pool ÷ one core', value: r2(poolRate / (1000 / base)), unit: '×' },
      ],
      notes: [
        'The pool figure includes PNG encoding and the file write, as `loupe synth` does; worker start-up (about 1 s) is left out because a data set pays it once.',
        'Cost is per traced pixel: tray pixels cost almost nothing, stone pixels cost one path per Bayer colour with up to 12 internal bounces, so it grows with the area (size²) and linearly with samples per pixel.',
      ],
      table: {
        columns: ['setting', 'ms/image', 'ratio to 160 px, 1 spp'],
        rows: [
          ...sizes.map((size, i) => [`${size} px, 1 spp`, r2(bySize[i]), r2(bySize[i] / base)]),
          ...spps.slice(1).map((spp, i) => [`160 px, ${spp} spp`, r2(bySpp[i + 1]), r2(bySpp[i + 1] / base)]),
        ],
      },
    };
  },
};
