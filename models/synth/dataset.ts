/** Write a labelled data set: PNGs plus labels.csv, reproducible from the seed. */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { imageFileName } from './job.ts';
import { RenderPool, type RenderResult } from './pool.ts';
import type { StoneLabels } from './render.ts';

export const LABEL_COLUMNS = [
  'file', 'colour', 'clarity', 'cut', 'carat', 'diameter_mm', 'mm_per_px', 'centre_x_px', 'centre_y_px', 'diameter_px',
  'table_pct', 'crown_angle_deg', 'pavilion_angle_deg', 'girdle_pct', 'star_pct', 'lower_half_pct', 'culet_pct',
  'total_depth_pct', 'crown_height_pct', 'pavilion_depth_pct', 'rotation_deg', 'lighting', 'inclusions',
] as const;

export function labelsCsvRow(file: string, labels: StoneLabels): string {
  const record: Record<string, string | number> = { file, ...labels };
  return LABEL_COLUMNS.map((column) => {
    const value = String(record[column]);
    return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  }).join(',');
}

export interface DatasetOptions {
  /** Stones 0..count-1 of the seed's stream, unless `indices` names the ones to render. */
  count: number;
  indices?: readonly number[];
  seed: number;
  sizePx: number;
  outDir: string;
  workers?: number;
  samplesPerPixel?: number;
  onProgress?: (done: number, total: number) => void;
}

export async function writeDataset(options: DatasetOptions): Promise<{ rows: number; seconds: number }> {
  const started = performance.now();
  await mkdir(options.outDir, { recursive: true });
  const indices = options.indices ?? Array.from({ length: options.count }, (_, index) => index);
  const labels = new Map<number, StoneLabels>();
  const pool = new RenderPool(options.workers);
  try {
    const jobs = indices.map((index) => ({ seed: options.seed, index, sizePx: options.sizePx, samplesPerPixel: options.samplesPerPixel, outDir: options.outDir }));
    await pool.run(jobs, (result: RenderResult) => {
      labels.set(result.index, result.labels);
      options.onProgress?.(labels.size, indices.length);
    });
  } finally {
    await pool.stop();
  }
  const lines = [LABEL_COLUMNS.join(','), ...indices.map((i) => labelsCsvRow(imageFileName(i), labels.get(i)!))];
  const tmp = join(options.outDir, 'labels.csv.tmp');
  await writeFile(tmp, lines.join('\n') + '\n');
  await rename(tmp, join(options.outDir, 'labels.csv'));
  return { rows: indices.length, seconds: (performance.now() - started) / 1000 };
}
