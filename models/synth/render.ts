/** Render one stone on the device's bench: pose, dust, tracing and the sensor. */
import { absorptionPerMm } from './colour.ts';
import { formatInclusions } from './clarity.ts';
import { buildMesh } from './geometry.ts';
import { DIAMOND_N_RGB } from './optics.ts';
import { createRng } from './rng.ts';
import { DEVICE_BENCH, type Bench, sampleDust } from './scene.ts';
import { exposeToSrgb8, sampleSensorDrift } from './sensor.ts';
import type { StoneSpec } from './stone.ts';
import { traceImage } from './trace.ts';

export interface RenderOptions {
  sizePx: number;
  seed: number;
  /** Fixed magnification (the device camera). Otherwise fovFactor × diameter fills the frame. */
  mmPerPx?: number;
  fovFactor?: number;
  samplesPerPixel?: number;
  maxBounces?: number;
  bench?: Bench;
  /** Sample colours through the sensor's Bayer mosaic (default true). */
  bayer?: boolean;
  /** Turn off pose jitter, dust and sensor drift/noise (for physics tests). */
  ideal?: boolean;
}

export interface StoneLabels {
  colour: string;
  clarity: string;
  cut: string;
  carat: number;
  diameter_mm: number;
  mm_per_px: number;
  centre_x_px: number;
  centre_y_px: number;
  diameter_px: number;
  table_pct: number;
  crown_angle_deg: number;
  pavilion_angle_deg: number;
  girdle_pct: number;
  star_pct: number;
  lower_half_pct: number;
  culet_pct: number;
  total_depth_pct: number;
  crown_height_pct: number;
  pavilion_depth_pct: number;
  rotation_deg: number;
  lighting: string;
  inclusions: string;
}

export interface RenderedStone {
  width: number;
  height: number;
  rgb: Uint8Array;
  labels: StoneLabels;
  /** Linear-light render before the sensor (for physics tests). */
  linear: Float32Array;
  meanResidualThroughput: number;
}

export const DEFAULT_MAX_BOUNCES = 12;

export function renderStone(spec: StoneSpec, options: RenderOptions): RenderedStone {
  const rng = createRng(options.seed);
  const bench = options.bench ?? DEVICE_BENCH;
  const mesh = buildMesh(spec.proportions);
  const D = spec.proportions.diameterMm;
  const fovFactor = options.fovFactor ?? rng.uniform(1.3, 1.5);
  const mmPerPx = options.mmPerPx ?? (fovFactor * D) / options.sizePx;
  const ideal = options.ideal ?? false;
  const pose = ideal
    ? { rotationRad: 0, offsetXMm: 0, offsetYMm: 0 }
    : { rotationRad: rng.uniform(0, Math.PI / 4), offsetXMm: rng.normal(0, 0.03 * D), offsetYMm: rng.normal(0, 0.03 * D) };
  const extent = (mmPerPx * options.sizePx) / 2;
  const dust = ideal ? [] : sampleDust(rng, extent);
  const drift = sampleSensorDrift(rng);
  const { rgb: linear, stats } = traceImage(
    { mesh, inclusions: spec.inclusions, absorptionPerMm: absorptionPerMm(spec.colour, D), bench, dust, pose },
    { sizePx: options.sizePx, mmPerPx, samplesPerPixel: options.samplesPerPixel ?? 1, maxBounces: options.maxBounces ?? DEFAULT_MAX_BOUNCES, indices: DIAMOND_N_RGB, bayer: options.bayer ?? true },
  );
  const sensor = ideal ? { ...drift, exposureGain: 1, whiteBalance: [1, 1, 1] as [number, number, number], defocusSigmaPx: 0.4, shotNoise: 0, readNoise: 0 } : drift;
  const rgb = exposeToSrgb8(linear, options.sizePx, options.sizePx, sensor, rng);
  const half = options.sizePx / 2;
  const labels: StoneLabels = {
    colour: spec.colour,
    clarity: spec.clarity,
    cut: spec.cut,
    carat: round(spec.carat, 4),
    diameter_mm: round(D, 4),
    mm_per_px: round(mmPerPx, 6),
    centre_x_px: round(half + pose.offsetXMm / mmPerPx, 3),
    centre_y_px: round(half - pose.offsetYMm / mmPerPx, 3),
    diameter_px: round(D / mmPerPx, 3),
    table_pct: round(spec.proportions.tablePct, 3),
    crown_angle_deg: round(spec.proportions.crownAngleDeg, 3),
    pavilion_angle_deg: round(spec.proportions.pavilionAngleDeg, 3),
    girdle_pct: round(spec.proportions.girdlePct, 3),
    star_pct: round(spec.proportions.starPct, 3),
    lower_half_pct: round(spec.proportions.lowerHalfPct, 3),
    culet_pct: round(spec.proportions.culetPct, 3),
    total_depth_pct: round(mesh.totalDepthPct, 3),
    crown_height_pct: round(mesh.crownHeightPct, 3),
    pavilion_depth_pct: round(mesh.pavilionDepthPct, 3),
    rotation_deg: round((pose.rotationRad * 180) / Math.PI, 3),
    lighting: bench.lighting,
    inclusions: formatInclusions(spec.inclusions),
  };
  return { width: options.sizePx, height: options.sizePx, rgb, labels, linear, meanResidualThroughput: stats.meanResidual };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
