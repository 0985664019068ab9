import { readFileSync } from 'node:fs';
import ort from 'onnxruntime-node';
import { beforeAll, describe, it, expect } from 'vitest';
import { prepareFrame } from '../../device/vision/pipeline.ts';
import { makeFrameFixtures, type FrameFixtureSet } from '../fixtures/bad-frames.ts';
import type { TensorInputSpec } from '../../device/vision/types.ts';
import { pathToFileURL } from 'node:url';
import { bundledReleaseDir } from '../../device/inference/release.ts';

const RELEASE = pathToFileURL(`${bundledReleaseDir()}/`);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', RELEASE), 'utf8')) as { input: TensorInputSpec & { name: string }; heads: Record<string, { output: string; labels: string[] }> };

describe('prepareFrame → the committed model', () => {
  let set: FrameFixtureSet;
  let session: ort.InferenceSession;
  beforeAll(async () => {
    set = await makeFrameFixtures({ seed: 31 });
    session = await ort.InferenceSession.create(new URL('model.int8.onnx', RELEASE).pathname);
  });

  it('turns a good frame into the tensor the model takes, and the model runs on it', async () => {
    const prepared = await prepareFrame(set.good.bytes, manifest.input);
    if (!prepared.ok) throw new Error(`refused: ${prepared.code}`);
    expect(prepared.tensor.dims).toEqual([1, 3, manifest.input.size, manifest.input.size]);
    expect(prepared.crop.length).toBe(manifest.input.size ** 2 * 3);
    expect(prepared.captureDiameterPx).toBeCloseTo(prepared.stone.diameterPx * prepared.image.pxScale, 6);
    // Normalised values of an 8-bit image lie within [(0 − mean) / std, (1 − mean) / std].
    for (const v of [Math.min(...prepared.tensor.data), Math.max(...prepared.tensor.data)]) {
      expect(v).toBeGreaterThanOrEqual((0 - 0.485) / 0.229 - 1e-6);
      expect(v).toBeLessThanOrEqual((1 - 0.406) / 0.225 + 1e-6);
    }
    const outputs = await session.run({ [manifest.input.name]: new ort.Tensor('float32', prepared.tensor.data, prepared.tensor.dims) });
    for (const head of Object.values(manifest.heads)) {
      const out = outputs[head.output];
      expect(out.dims).toEqual([1, head.labels.length]);
      expect(Array.from(out.data as Float32Array).every(Number.isFinite)).toBe(true);
    }
  });

  it('the crop is centred: the corners are tray and the middle is stone', async () => {
    const prepared = await prepareFrame(set.good.bytes, manifest.input);
    if (!prepared.ok) throw new Error('refused');
    const S = manifest.input.size;
    const px = (x: number, y: number) => Array.from(prepared.crop.subarray((y * S + x) * 3, (y * S + x) * 3 + 3));
    const tray = prepared.image.data.subarray(0, 3);
    for (const [x, y] of [[0, 0], [S - 1, 0], [0, S - 1], [S - 1, S - 1]]) {
      px(x, y).forEach((v, c) => expect(Math.abs(v - tray[c])).toBeLessThan(12));
    }
    // The stone fills 1/1.25 of the crop: its middle differs from the tray far more than a corner.
    const meanDiff = (x0: number, y0: number, side: number) => {
      let sum = 0;
      for (let y = y0; y < y0 + side; y++) for (let x = x0; x < x0 + side; x++) sum += px(x, y).reduce((a, v, c) => a + Math.abs(v - tray[c]), 0);
      return sum / (side * side);
    };
    const q = Math.round(S / 8);
    expect(meanDiff(3 * q, 3 * q, 2 * q)).toBeGreaterThan(3 * meanDiff(0, 0, q));
  });

  it('a refused frame comes back with its code and message, no tensor', async () => {
    const refused = await prepareFrame(set.bad.cutOff.bytes, manifest.input);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.code).toBe('STONE_CUT_OFF');
    expect(refused.message).toMatch(/centre of the tray/);
    expect('tensor' in refused).toBe(false);
  });

  it('undecodable bytes throw the decoder error', async () => {
    await expect(prepareFrame(set.bad.truncatedJpeg.bytes, manifest.input)).rejects.toMatchObject({ code: 'IMAGE_TRUNCATED' });
  });
});
