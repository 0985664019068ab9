/**
 * The grade path end to end on a 1920×1080 JPEG — decode, gate + locate, crop, tensor, infer,
 * grade + sign, thumbnail, SQLite commit — N times, with onnxruntime-node and then with
 * onnxruntime-web (wasm) on the same frames in the same run. Plus the decode floor: the same
 * JPEG decoded at full size, as the pipeline decodes it, and with a real DCT shrink.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { parseConfig } from '../config/load.ts';
import { CONFIG_VERSION } from '../config/schema.ts';
import { STAGES, type StageTimings } from '../daemon/grade-pipeline.ts';
import { GradingCore } from '../daemon/grading-core.ts';
import { bundledReleaseDir, readManifest } from '../inference/release.ts';
import { decodeImage } from '../vision/decode.ts';
import { benchFrame, BENCH_MM_PER_PX } from './frame.ts';
import { median, percentile, round } from './stats.ts';
import type { BenchModule, BenchOptions, BenchReport } from './types.ts';

interface RunStats {
  totals: number[];
  stages: Record<string, number[]>;
}

interface Side extends RunStats {
  runtime: 'node' | 'web';
  provider: string;
  core: GradingCore;
  dataDir: string;
}

async function openSide(runtime: 'node' | 'web'): Promise<Side> {
  const dataDir = mkdtempSync(join(tmpdir(), `loupe-bench-${runtime}-`));
  const config = parseConfig({ version: CONFIG_VERSION, dataDir, model: { releaseDir: bundledReleaseDir(), runTimeoutMs: 10_000 } });
  const core = new GradingCore(config, { runtime, threads: runtime === 'web' ? 1 : undefined });
  await core.calibration.save({ mmPerPx: BENCH_MM_PER_PX, measuredAt: new Date().toISOString(), diskMm: 10, diskPx: 10 / BENCH_MM_PER_PX });
  const model = await core.start();
  return { runtime, provider: model.provider, core, dataDir, totals: [], stages: Object.fromEntries(STAGES.map((s) => [s, []])) };
}

async function gradeOnce(side: Side, frame: Buffer, keep: boolean): Promise<void> {
  const outcome = await side.core.grade({ data: frame });
  if (!outcome.ok) throw new Error(`the bench frame was refused: ${outcome.error.code}`);
  if (keep) record(side, outcome.timings);
}

/** Both runtimes open at once, grades interleaved (web every third), so both see the same machine. */
async function gradeSideBySide(frame: Buffer, iterations: number, options: BenchOptions): Promise<{ node: Side; web: Side }> {
  const node = await openSide('node');
  const web = await openSide('web');
  try {
    for (let i = 0; i < 5; i++) {
      await gradeOnce(node, frame, false); // warm caches, JIT, page cache
      await gradeOnce(web, frame, false);
    }
    for (let i = 0; i < iterations; i++) {
      await gradeOnce(node, frame, true);
      if (i % 3 === 0) await gradeOnce(web, frame, true);
      if ((i + 1) % 100 === 0) options.progress(`grade ${i + 1}/${iterations}`);
    }
  } finally {
    for (const side of [node, web]) {
      await side.core.stop();
      rmSync(side.dataDir, { recursive: true, force: true });
    }
  }
  return { node, web };
}

function record(stats: RunStats, timings: StageTimings): void {
  stats.totals.push(timings.total ?? Number.NaN);
  for (const stage of STAGES) stats.stages[stage].push(timings[stage] ?? 0);
}

interface DecodeFloor {
  /** sharp's decode of the whole 2 MP frame, nothing else: the floor of any 1920×1080 path. */
  fullMs: number;
  /** decodeImage as the pipeline calls it: header check, full decode, 2× linear reduce to 960×540. */
  workingMs: number;
  /** A real DCT shrink-on-load (sharp does one from a 1/4 request on: 1/2 in the DCT, then 2×). */
  dctHalfMs: number;
}

async function decodeFloor(frame: Buffer, iterations: number): Promise<DecodeFloor> {
  const times = { full: [] as number[], working: [] as number[], dct: [] as number[] };
  const meta = await sharp(frame).metadata();
  const time = async (into: number[], task: () => Promise<unknown>) => {
    const t0 = performance.now();
    await task();
    into.push(performance.now() - t0);
  };
  for (let i = 0; i < iterations; i++) {
    await time(times.full, () => sharp(frame).removeAlpha().raw().toBuffer());
    await time(times.working, () => decodeImage(frame));
    await time(times.dct, () => sharp(frame).resize(Math.round(meta.width! / 4), Math.round(meta.height! / 4), { fit: 'fill', kernel: 'linear' }).removeAlpha().raw().toBuffer());
  }
  return { fullMs: median(times.full), workingMs: median(times.working), dctHalfMs: median(times.dct) };
}

export const bench: BenchModule = {
  name: 'grade',
  summary: '1920×1080 JPEG end to end, per stage; onnxruntime-node vs onnxruntime-web',
  async run(options): Promise<BenchReport> {
    const iterations = options.quick ? 30 : 300;
    const frame = await benchFrame();
    // As in the daemon (device/daemon/app.ts): libvips' operation cache must not serve the same
    // bytes decoded from memory.
    const cache = sharp.cache();
    sharp.cache(false);
    options.progress(`grade: ${iterations} grades of a ${(frame.length / 1024).toFixed(0)} KB 1920×1080 JPEG per runtime`);
    let sides: { node: Side; web: Side };
    let floor: DecodeFloor;
    try {
      sides = await gradeSideBySide(frame, iterations, options);
      floor = await decodeFloor(frame, options.quick ? 10 : 40);
    } finally {
      sharp.cache({ memory: cache.memory.max, files: cache.files.max, items: cache.items.max });
    }
    const { node, web } = sides;

    const stageMedians = STAGES.map((s) => ({ stage: s, node: median(node.stages[s]), web: median(web.stages[s]) }));
    const dominant = [...stageMedians].sort((a, b) => b.node - a.node)[0];
    const nodeP50 = median(node.totals);
    const webP50 = median(web.totals);
    const inferRatio = median(web.stages.infer) / median(node.stages.infer);
    return {
      name: 'grade',
      metrics: [
        { name: 'grade p50 (onnxruntime-node)', value: round(nodeP50), unit: 'ms', goal: { op: '<=', value: 25 } },
        { name: 'grade p99 (onnxruntime-node)', value: round(percentile(node.totals, 99)), unit: 'ms', goal: { op: '<=', value: 50 } },
        { name: 'grade p50 (onnxruntime-web wasm)', value: round(webP50), unit: 'ms' },
        { name: 'grade p99 (onnxruntime-web wasm)', value: round(percentile(web.totals, 99)), unit: 'ms' },
        { name: 'infer p50 web / node', value: round(inferRatio), unit: '×' },
        { name: 'grade p50 web / node', value: round(webP50 / nodeP50), unit: '×' },
        { name: 'decode 1920×1080 full size p50 (floor)', value: round(floor.fullMs), unit: 'ms' },
        { name: 'decode to 960×540 as graded p50', value: round(floor.workingMs), unit: 'ms' },
        { name: 'decode with DCT shrink 1/2 (→ 480×270) p50', value: round(floor.dctHalfMs), unit: 'ms' },
      ],
      notes: [
        `onnxruntime-node ran on "${node.provider}"; onnxruntime-web on wasm (1 thread); ${node.totals.length} and ${web.totals.length} grades, same frame, interleaved in one run.`,
        `Dominant stage: ${dominant.stage} at ${round(dominant.node)} ms of ${round(nodeP50)} ms (p50).`,
        `Decode floor: a full-size 2 MP decode costs ${round(floor.fullMs)} ms and the pipeline's decode to 960×540 ${round(floor.workingMs)} ms. sharp only shrinks a JPEG in its DCT to half the factor asked for, so 1/2 means a full decode plus a 2× reduce; a real DCT 1/2 (asked as 1/4) costs ${round(floor.dctHalfMs)} ms, but would leave the stone ~80 px across, under the model's ${readManifest(bundledReleaseDir()).input.size} px input.`,
        `commit = frame file write + fsync, then one SQLite transaction (synchronous=FULL): bounded by the disk's fsync latency.`,
      ],
      table: {
        columns: ['stage', 'node p50 ms', 'node p99 ms', 'web p50 ms'],
        rows: STAGES.map((s) => [s, round(median(node.stages[s])), round(percentile(node.stages[s], 99)), round(median(web.stages[s]))]),
      },
    };
  },
};
