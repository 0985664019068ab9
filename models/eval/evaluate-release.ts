/**
 * Scores a model release on fresh renders, the way the device would grade them: the device's
 * crop and tensor (device/vision), the release's INT8 model in onnxruntime-node, the
 * manifest's temperatures and abstain thresholds (device/grading's gradeHead).
 */
import { join } from 'node:path';
import { gradeHead } from '../../device/grading/calibrate.ts';
import { checkSessionAgainstManifest, loadRelease, type ModelManifest } from '../../device/inference/index.ts';
import { cropStone, estimateTrayColour, locateStone } from '../../device/vision/index.ts';
import type { StoneLocation } from '../../device/vision/types.ts';
import { scoreHead, type HeadScore } from './accuracy.ts';
import { openModel } from './model-runner.ts';
import { renderFresh, type FreshStone } from './render-fresh.ts';

export const HEADS = ['colour', 'clarity', 'cut'] as const;
export type Head = (typeof HEADS)[number];

/** Where the crop's girdle outline comes from: the render's labels, or the device's own locator. */
export type OutlineSource = 'labels' | 'device';

export interface EvaluateOptions {
  releaseDir: string;
  count: number;
  seed: number;
  outline?: OutlineSource;
  workers?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface EvaluationReport {
  release: string;
  count: number;
  seed: number;
  /** The side the fresh stones were rendered at: the release's training render size. */
  renderSizePx: number;
  outline: OutlineSource;
  /** Stones the device's locator could not find (only with outline "device"); scored as wrong. */
  notLocated: number;
  heads: Record<Head, HeadScore>;
}

function outlineOf(stone: FreshStone, source: OutlineSource): StoneLocation | null {
  if (source === 'labels') return { centreX: stone.labels.centre_x_px, centreY: stone.labels.centre_y_px, diameterPx: stone.labels.diameter_px };
  const found = locateStone(stone.image);
  return found ? { centreX: found.centreX, centreY: found.centreY, diameterPx: found.diameterPx } : null;
}

/** Fresh stones are rendered at the size the release was trained on (1.0.0 predates the field: 160 px). */
export function renderSizeOf(manifest: ModelManifest): number {
  const trainedOn = manifest.metrics?.trainedOn as { renderSizePx?: unknown } | undefined;
  const size = trainedOn?.renderSizePx;
  return typeof size === 'number' && Number.isInteger(size) && size > 0 ? size : LEGACY_RENDER_SIZE_PX;
}

const LEGACY_RENDER_SIZE_PX = 160;

export async function evaluateRelease(options: EvaluateOptions): Promise<EvaluationReport> {
  const outline = options.outline ?? 'labels';
  const release = loadRelease(options.releaseDir);
  const manifest: ModelManifest = release.manifest;
  const runner = await openModel(join(options.releaseDir, manifest.model));
  try {
    checkSessionAgainstManifest(runner.session, manifest);
    const renderSizePx = renderSizeOf(manifest);
    const stones = await renderFresh({ count: options.count, seed: options.seed, sizePx: renderSizePx, workers: options.workers, onProgress: options.onProgress });
    const crops: Uint8Array[] = [];
    const located: boolean[] = [];
    for (const stone of stones) {
      const where = outlineOf(stone, outline);
      located.push(where !== null);
      const fallback = { centreX: stone.image.width / 2, centreY: stone.image.height / 2, diameterPx: stone.image.width / manifest.input.crop.factor };
      crops.push(cropStone(stone.image, where ?? fallback, manifest.input.size, manifest.input.crop.factor, estimateTrayColour(stone.image)));
    }
    const outputs = await runner.run(crops, manifest.input);
    const heads = {} as Record<Head, HeadScore>;
    for (const head of HEADS) {
      const spec = manifest.heads[head];
      const { data, dims } = outputs[spec.output];
      const width = dims[1];
      const predicted: number[] = [];
      const confidences: number[] = [];
      const truth: number[] = [];
      stones.forEach((stone, i) => {
        const logits = data.subarray(i * width, (i + 1) * width);
        const graded = gradeHead(logits, spec);
        predicted.push(located[i] ? spec.labels.indexOf(graded.top) : -99);
        confidences.push(located[i] ? graded.confidence : 0);
        const t = spec.labels.indexOf(stone.labels[head]);
        if (t < 0) throw new Error(`render ${stone.index}: ${head} "${stone.labels[head]}" is not a label of the release`);
        truth.push(t);
      });
      heads[head] = scoreHead(predicted, truth, confidences, spec.abstainBelow);
    }
    return { release: `${manifest.name}@${manifest.version}`, count: stones.length, seed: options.seed, renderSizePx, outline, notLocated: located.filter((l) => !l).length, heads };
  } finally {
    await runner.close();
  }
}
