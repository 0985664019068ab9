/**
 * Measurements of the vision path, each run side by side in one process (numbers are ratios
 * and rates, not absolute goals):
 * - decode of a 1920×1080 JPEG: full size vs the 960×540 working size;
 * - locate: girdle error against the renderer's labels over many renders;
 * - the gate: decisions on good frames and on each kind of deliberately bad frame.
 */
import sharp from 'sharp';
import { createRng, hashSeed, renderStone, sampleStone } from '../../models/synth/index.ts';
import { decodeImage } from './decode.ts';
import { VisionError } from './errors.ts';
import { locateStone } from './locate.ts';
import { checkFrame } from './quality.ts';

export interface DecodeBench {
  iterations: number;
  /** Decode at 1920×1080 (shrink-on-load off). */
  fullMs: number;
  /** Decode to the 960×540 working size (the default: full decode + 2× linear reduce, see decode.ts). */
  shrinkOnLoadMs: number;
  /** Decode + quality gate (exposure, locate, focus) at full size. */
  fullWithGateMs: number;
  /** Decode + quality gate at the working size. */
  shrinkOnLoadWithGateMs: number;
  decodeRatio: number;
  withGateRatio: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))];
}

/** A 1920×1080 frame from the synthetic camera (same field of view as the 1280×720 default). */
async function sampleJpeg(): Promise<Buffer> {
  const { SyntheticCamera } = await import('../camera/synthetic.ts');
  const camera = new SyntheticCamera({ width: 1920, height: 1080, mmPerPx: (0.025 * 1280) / 1920, seed: 11 });
  await camera.start();
  const frame = await camera.capture();
  await camera.stop();
  return frame.data;
}

export async function benchDecode(iterations = 30): Promise<DecodeBench> {
  const jpeg = await sampleJpeg();
  const cache = sharp.cache();
  // The same bytes are decoded again and again here; libvips' operation cache would hide the work.
  sharp.cache(false);
  const times = { full: [] as number[], shrink: [] as number[], fullGate: [] as number[], shrinkGate: [] as number[] };
  try {
    for (let i = 0; i < iterations + 3; i++) {
      const warm = i < 3;
      let t = performance.now();
      const full = await decodeImage(jpeg, { workingMinSide: 0 });
      const a = performance.now() - t;
      checkFrame(full);
      const a2 = performance.now() - t;
      t = performance.now();
      const small = await decodeImage(jpeg);
      const b = performance.now() - t;
      checkFrame(small);
      const b2 = performance.now() - t;
      if (warm) continue;
      times.full.push(a);
      times.fullGate.push(a2);
      times.shrink.push(b);
      times.shrinkGate.push(b2);
    }
  } finally {
    sharp.cache({ memory: cache.memory.max, files: cache.files.max, items: cache.items.max });
  }
  const r = { full: median(times.full), shrink: median(times.shrink), fullGate: median(times.fullGate), shrinkGate: median(times.shrinkGate) };
  return {
    iterations,
    fullMs: r.full,
    shrinkOnLoadMs: r.shrink,
    fullWithGateMs: r.fullGate,
    shrinkOnLoadWithGateMs: r.shrinkGate,
    decodeRatio: r.full / r.shrink,
    withGateRatio: r.fullGate / r.shrinkGate,
  };
}

export interface LocateBench {
  renders: number;
  sizePx: number;
  notFound: number;
  /** |centre error| / true diameter, percent. */
  centreErrorPct: { median: number; p95: number; max: number };
  /** (found − true diameter) / true diameter, percent. */
  diameterErrorPct: { mean: number; p95Abs: number; maxAbs: number };
  locateMs: number;
}

export function benchLocate(renders = 200, sizePx = 160, seed = 5000): LocateBench {
  const centre: number[] = [];
  const diameter: number[] = [];
  let notFound = 0;
  let locateMs = 0;
  for (let i = 0; i < renders; i++) {
    const s = hashSeed(seed, i);
    const r = renderStone(sampleStone(createRng(s)), { sizePx, seed: s });
    const t = performance.now();
    const f = locateStone({ width: r.width, height: r.height, data: r.rgb });
    locateMs += performance.now() - t;
    if (!f) {
      notFound++;
      continue;
    }
    const L = r.labels;
    centre.push((100 * Math.hypot(f.centreX - L.centre_x_px, f.centreY - L.centre_y_px)) / L.diameter_px);
    diameter.push((100 * (f.diameterPx - L.diameter_px)) / L.diameter_px);
  }
  const abs = diameter.map(Math.abs);
  return {
    renders,
    sizePx,
    notFound,
    centreErrorPct: { median: median(centre), p95: quantile(centre, 0.95), max: Math.max(...centre) },
    diameterErrorPct: { mean: diameter.reduce((a, b) => a + b, 0) / diameter.length, p95Abs: quantile(abs, 0.95), maxAbs: Math.max(...abs) },
    locateMs: locateMs / renders,
  };
}

export interface GateBench {
  stones: number;
  /** expected outcome → decided outcome → count */
  decisions: Record<string, Record<string, number>>;
  /** Share of frames whose decision matched what was expected. */
  agreement: number;
}

export async function benchGate(stones = 10, seed = 100): Promise<GateBench> {
  const { makeFrameFixtures } = await import('./sample-frames.ts');
  const decisions: Record<string, Record<string, number>> = {};
  let agree = 0;
  let total = 0;
  for (let i = 0; i < stones; i++) {
    const set = await makeFrameFixtures({ seed: seed + i });
    for (const f of [set.good, ...Object.values(set.bad), ...Object.values(set.converted)]) {
      let outcome: string;
      try {
        const check = checkFrame(await decodeImage(f.bytes));
        outcome = check.ok ? 'OK' : check.code;
      } catch (error) {
        outcome = error instanceof VisionError ? error.code : 'THREW';
      }
      const key = `${f.name} (${f.expect})`;
      decisions[key] ??= {};
      decisions[key][outcome] = (decisions[key][outcome] ?? 0) + 1;
      total++;
      if (outcome === f.expect) agree++;
    }
  }
  return { stones, decisions, agreement: agree / total };
}
