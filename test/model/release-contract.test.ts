/**
 * The committed model release keeps its contract (docs/INTERFACES.md §2): the manifest
 * validates, every listed file has the stated sha256 and size, the manifest's input and
 * outputs are the model's real names and shapes, and the golden crops give the expected
 * top-1 per head in onnxruntime-node.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLARITY_GRADES, COLOUR_GRADES, CUT_GRADES, PROPORTION_NAMES } from '../../device/grading/scales.ts';
import { bundledReleaseDir, checkSessionAgainstManifest, loadRelease, sha256Hex, type ModelManifest } from '../../device/inference/index.ts';
import { gradeHead } from '../../device/grading/calibrate.ts';
import { openModel, type ModelRunner } from '../../models/eval/model-runner.ts';

const dir = bundledReleaseDir();
let manifest: ModelManifest;
let runner: ModelRunner;

beforeAll(async () => {
  manifest = loadRelease(dir).manifest;
  runner = await openModel(join(dir, manifest.model), { threads: 1 });
});
afterAll(async () => {
  await runner?.close();
});

function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((p) => join(root, p))
    .filter((p) => statSync(p).isFile())
    .map((p) => relative(root, p).split('\\').join('/'));
}

describe(`model release ${relative(process.cwd(), dir)}`, () => {
  it('lists every file of the folder with its real sha256 and size, and nothing else', () => {
    const onDisk = listFiles(dir).filter((f) => f !== 'manifest.json').sort();
    expect(Object.keys(manifest.files).sort()).toEqual(onDisk);
    for (const [file, entry] of Object.entries(manifest.files)) {
      const bytes = readFileSync(join(dir, file));
      expect({ file, sha256: sha256Hex(bytes), bytes: bytes.length }).toEqual({ file, sha256: entry.sha256, bytes: entry.bytes });
    }
  });

  it('says plainly what it was trained on, and ships a model card that says it too', () => {
    expect(['synthetic', 'real']).toContain(manifest.trainedOn);
    const card = readFileSync(join(dir, 'MODEL_CARD.md'), 'utf8');
    if (manifest.trainedOn === 'synthetic') {
      expect(card).toMatch(/trained on synthetic renders/i);
      expect(card).toMatch(/not been validated on real stones/i);
    }
  });

  it('names the labels in the grading scales order', () => {
    expect(manifest.heads.colour.labels).toEqual(COLOUR_GRADES);
    expect(manifest.heads.clarity.labels).toEqual(CLARITY_GRADES);
    expect(manifest.heads.cut.labels).toEqual(CUT_GRADES);
    expect(manifest.regression?.names).toEqual([...PROPORTION_NAMES]);
  });

  it("matches the model's real input and output names and shapes", () => {
    expect(() => checkSessionAgainstManifest(runner.session, manifest)).not.toThrow();
    expect(runner.inputNames).toEqual([manifest.input.name]);
    const input = runner.session.inputMetadata.find((m) => m.name === manifest.input.name);
    expect(input?.isTensor).toBe(true);
    if (input?.isTensor) {
      expect(input.type).toBe('float32');
      expect(typeof input.shape[0]).toBe('string'); // a dynamic batch dimension
      expect(input.shape.slice(1)).toEqual([3, manifest.input.size, manifest.input.size]);
    }
    const wanted = [
      ...(['colour', 'clarity', 'cut'] as const).map((h) => [manifest.heads[h].output, manifest.heads[h].labels.length] as const),
      [manifest.regression!.output, manifest.regression!.names.length] as const,
    ];
    expect([...runner.outputNames].sort()).toEqual(wanted.map(([name]) => name).sort());
    for (const [name, width] of wanted) {
      const meta = runner.session.outputMetadata.find((m) => m.name === name);
      expect(meta?.isTensor && meta.shape[1]).toBe(width);
    }
  });

  it('runs a batch of several crops (dynamic batch) with one row of logits per crop', async () => {
    const size = manifest.input.size;
    const crops = [0, 128, 255].map((v) => new Uint8Array(size * size * 3).fill(v));
    const out = await runner.run(crops, manifest.input);
    expect(out[manifest.heads.colour.output].dims).toEqual([3, 23]);
    expect(out[manifest.regression!.output].dims).toEqual([3, 4]);
    expect(Array.from(out[manifest.heads.cut.output].data).every(Number.isFinite)).toBe(true);
  });

  it('ships a golden set whose crops give the expected answer in every head (the device\'s decision rule)', async () => {
    expect(manifest.golden.length).toBeGreaterThanOrEqual(30);
    const crops: Uint8Array[] = [];
    for (const golden of manifest.golden) {
      const bytes = readFileSync(join(dir, golden.file));
      expect(sha256Hex(bytes)).toBe(golden.sha256);
      const { data, info } = await sharp(bytes).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height, info.channels]).toEqual([manifest.input.size, manifest.input.size, 3]);
      crops.push(new Uint8Array(data));
    }
    const out = await runner.run(crops, manifest.input);
    const got = manifest.golden.map((_, i) =>
      Object.fromEntries(
        (['colour', 'clarity', 'cut'] as const).map((h) => {
          const { data, dims } = out[manifest.heads[h].output];
          return [h, gradeHead(data.subarray(i * dims[1], (i + 1) * dims[1]), manifest.heads[h]).top];
        }),
      ),
    );
    expect(got).toEqual(manifest.golden.map((g) => g.expected));
  });

  it('has a temperature and an abstain threshold per head from calibration', () => {
    for (const head of ['colour', 'clarity', 'cut'] as const) {
      expect(manifest.heads[head].temperature).toBeGreaterThan(0);
      expect(manifest.heads[head].abstainBelow).toBeGreaterThanOrEqual(0);
      expect(manifest.heads[head].abstainBelow).toBeLessThanOrEqual(1);
    }
  });
});
