/** Release folders for tests: a copy of the committed release with changes, or a scratch one. */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../../../device/inference/release.ts';
import { CLARITY_GRADES, COLOUR_GRADES, CUT_GRADES } from '../../../device/grading/scales.ts';
import { scratchOnnxModel, type ScratchModelSpec } from './scratch-onnx.ts';

export interface TempRelease {
  root: string;
  dir: string;
  remove(): void;
}

type Json = Record<string, any>;

/** Copies `source` to <tmp>/<name>-<version>/, lets `edit` change the manifest, re-hashes unless told not to. */
export function copyRelease(source: string, edit: (manifest: Json, dir: string) => void = () => {}, options: { rehash?: boolean } = {}): TempRelease {
  const root = mkdtempSync(join(tmpdir(), 'loupe-release-'));
  const manifest = JSON.parse(readFileSync(join(source, 'manifest.json'), 'utf8')) as Json;
  const stage = join(root, 'stage');
  cpSync(source, stage, { recursive: true });
  edit(manifest, stage);
  if (options.rehash !== false) rehash(stage, manifest, manifest.model);
  const dir = join(root, `${manifest.name}-${manifest.version}`);
  cpSync(stage, dir, { recursive: true });
  rmSync(stage, { recursive: true });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { root, dir, remove: () => rmSync(root, { recursive: true, force: true }) };
}

function rehash(dir: string, manifest: Json, file: string): void {
  const bytes = readFileSync(join(dir, file));
  manifest.files[file] = { sha256: sha256Hex(bytes), bytes: bytes.length };
}

/** A release around a hand-written scratch ONNX (never shipped): for manifest/model mismatch cases. */
export function scratchRelease(options: { version?: string; model?: ScratchModelSpec; edit?: (manifest: Json) => void } = {}): TempRelease {
  const root = mkdtempSync(join(tmpdir(), 'loupe-scratch-'));
  const version = options.version ?? '0.0.1';
  const dir = join(root, `loupe-scratch-${version}`);
  const model = scratchOnnxModel(options.model);
  const heads = (labels: string[], output: string) => ({ output, labels, temperature: 1, abstainBelow: 0.1 });
  const manifest: Json = {
    schema: 'loupe.model-manifest/v1',
    name: 'loupe-scratch',
    version,
    createdAt: new Date().toISOString(),
    trainedOn: 'nothing (scratch test model)',
    files: { 'model.onnx': { sha256: sha256Hex(model), bytes: model.length } },
    model: 'model.onnx',
    input: { name: 'image', size: options.model?.size ?? 128, layout: 'NCHW', channelOrder: 'RGB', dtype: 'float32', mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], scale: 255, crop: { basis: 'girdle-diameter', factor: 1.25 } },
    heads: { colour: heads(COLOUR_GRADES, 'colour'), clarity: heads(CLARITY_GRADES, 'clarity'), cut: heads(CUT_GRADES, 'cut') },
    regression: { output: 'proportions', names: ['table_pct', 'crown_angle_deg', 'pavilion_angle_deg', 'total_depth_pct'], mean: [57, 34, 41, 61], std: [2, 2, 1, 2] },
    golden: [],
  };
  options.edit?.(manifest);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'model.onnx'), model);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return { root, dir, remove: () => rmSync(root, { recursive: true, force: true }) };
}
