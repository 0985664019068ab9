/**
 * The release's golden set: crops at the input size with the labels the model must give.
 * Run on a staged session before it replaces the active one.
 */
import sharp from 'sharp';
import { gradeHead } from '../grading/calibrate.ts';
import { HEAD_NAMES } from '../grading/scales.ts';
import { viewBatch } from '../vision/views.ts';
import { meanOverViews } from './combine-views.ts';
import { readVerifiedFile, type ModelRelease } from './release.ts';
import type { OnnxSession } from './onnx-session.ts';

export interface GoldenReport {
  total: number;
  passed: number;
  mismatches: Array<{ file: string; head: string; expected: string; got: string }>;
}

export async function runGoldenSet(session: OnnxSession, release: Pick<ModelRelease, 'dir' | 'manifest'>): Promise<GoldenReport> {
  const { manifest } = release;
  const report: GoldenReport = { total: 0, passed: 0, mismatches: [] };
  for (const golden of manifest.golden) {
    const png = readVerifiedFile(release.dir, manifest, golden.file);
    const { data, info } = await sharp(png).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.width !== manifest.input.size || info.height !== manifest.input.size) {
      report.total++;
      report.mismatches.push({ file: golden.file, head: 'size', expected: `${manifest.input.size}×${manifest.input.size}`, got: `${info.width}×${info.height}` });
      continue;
    }
    const batch = viewBatch([new Uint8Array(data.buffer, data.byteOffset, data.byteLength)], manifest.input);
    const outputs = meanOverViews(await session.run(batch), batch.views);
    for (const head of HEAD_NAMES) {
      const expected = golden.expected[head];
      if (expected === undefined) continue;
      report.total++;
      const got = gradeHead(outputs[manifest.heads[head].output].data, manifest.heads[head]).top;
      if (got === expected) report.passed++;
      else report.mismatches.push({ file: golden.file, head, expected, got });
    }
  }
  return report;
}
