import { beforeAll, describe, it, expect } from 'vitest';
import { decodeImage } from '../../device/vision/decode.ts';
import { VisionError } from '../../device/vision/errors.ts';
import { clippedFractions, laplacianVariance } from '../../device/vision/metrics.ts';
import { checkFrame, inspectFrame, REJECT_MESSAGES } from '../../device/vision/quality.ts';
import type { FrameCheck } from '../../device/vision/types.ts';
import { BAD_FRAME_KINDS, CONVERTED_FRAME_KINDS, makeFrameFixtures, type FrameFixtureSet } from '../fixtures/bad-frames.ts';

async function outcome(bytes: Buffer): Promise<{ code: string; check?: FrameCheck }> {
  try {
    const check = checkFrame(await decodeImage(bytes));
    return { code: check.ok ? 'OK' : check.code, check };
  } catch (error) {
    if (error instanceof VisionError) return { code: error.code };
    throw error;
  }
}

describe('the quality gate on real renders and deliberately bad frames', () => {
  let set: FrameFixtureSet;
  beforeAll(async () => {
    set = await makeFrameFixtures({ seed: 21 });
  });

  it('accepts the good frame and finds the girdle the renderer drew', async () => {
    const { code, check } = await outcome(set.good.bytes);
    expect(code).toBe('OK');
    if (!check?.ok) throw new Error('refused');
    const L = set.good.labels;
    expect(Math.hypot(check.stone.centreX - L.centre_x_px, check.stone.centreY - L.centre_y_px)).toBeLessThan(0.02 * L.diameter_px);
    expect(Math.abs(check.stone.diameterPx - L.diameter_px)).toBeLessThan(0.025 * L.diameter_px);
    expect(check.metrics.focus).toBeGreaterThan(30);
    expect(check.metrics.offCentre).toBeLessThan(0.05);
  });

  for (const kind of BAD_FRAME_KINDS) {
    it(`refuses the ${kind} frame with its own code`, async () => {
      const fixture = set.bad[kind];
      expect((await outcome(fixture.bytes)).code).toBe(fixture.expect);
    });
  }

  for (const kind of CONVERTED_FRAME_KINDS) {
    it(`grades the ${kind} frame after converting it`, async () => {
      expect((await outcome(set.converted[kind].bytes)).code).toBe('OK');
    });
  }

  it('reports every metric it measured, pass or fail', async () => {
    const blurred = checkFrame(await decodeImage(set.bad.blurred.bytes));
    expect(blurred.ok).toBe(false);
    expect(blurred.metrics.stone).not.toBeNull();
    expect(blurred.metrics.focus).toBeLessThan(30);
    const over = checkFrame(await decodeImage(set.bad.overexposed.bytes));
    expect(over.metrics.clippedHighlights).toBeGreaterThan(0.5);
    expect(over.metrics.stone).toBeNull();
  });

  it('gives the staff a plain instruction, not a code', async () => {
    const off = checkFrame(await decodeImage(set.bad.offCentre.bytes));
    if (off.ok) throw new Error('accepted');
    expect(off.message).toBe('Move the stone to the centre of the tray.');
    for (const message of Object.values(REJECT_MESSAGES)) {
      expect(message).toMatch(/^[A-Z][^_]+\.$/);
    }
  });

  it('thresholds can be tightened per device', async () => {
    const image = await decodeImage(set.good.bytes);
    const strict = checkFrame(image, { maxOffCentre: 0.0001 });
    expect(strict.ok ? 'OK' : strict.code).toBe('STONE_OFF_CENTRE');
    const { finding } = inspectFrame(image);
    expect(finding?.trayColour[1]).toBeGreaterThan(180);
  });
});

describe('gate metrics', () => {
  it('clippedFractions on every 2nd pixel agrees with the full count on real frames', async () => {
    const set = await makeFrameFixtures({ seed: 12 });
    for (const fixture of [set.good, set.bad.overexposed, set.bad.underexposed]) {
      const image = await decodeImage(fixture.bytes);
      const full = clippedFractions(image);
      const sampled = clippedFractions(image, 2);
      expect(Math.abs(sampled.highlights - full.highlights), fixture.name).toBeLessThan(0.005);
      expect(Math.abs(sampled.shadows - full.shadows), fixture.name).toBeLessThan(0.005);
    }
  });

  it('clippedFractions counts highlights (any channel ≥ 250) and shadows (all ≤ 5)', () => {
    const data = new Uint8Array([255, 0, 0, 3, 4, 5, 100, 100, 100, 0, 0, 6]);
    expect(clippedFractions({ width: 4, height: 1, data })).toEqual({ highlights: 0.25, shadows: 0.25 });
  });

  it('laplacianVariance is 0 on a flat stone and high on a checkerboard, and drops with blur', () => {
    const W = 40;
    const flat = { width: W, height: W, data: new Uint8Array(W * W * 3).fill(120) };
    const stone = { centreX: 20, centreY: 20, diameterPx: 30 };
    expect(laplacianVariance(flat, stone)).toBe(0);
    const checker = new Uint8Array(W * W * 3);
    const soft = new Uint8Array(W * W * 3);
    for (let y = 0; y < W; y++) {
      for (let x = 0; x < W; x++) {
        checker.fill((x >> 2) % 2 === (y >> 2) % 2 ? 200 : 50, (y * W + x) * 3, (y * W + x) * 3 + 3);
        // the same pattern as a smooth wave: what a defocused checkerboard looks like
        soft.fill(Math.round(125 + 75 * Math.sin((Math.PI * (x + 0.5)) / 4) * Math.sin((Math.PI * (y + 0.5)) / 4)), (y * W + x) * 3, (y * W + x) * 3 + 3);
      }
    }
    const sharp = laplacianVariance({ width: W, height: W, data: checker }, stone);
    const blurred = laplacianVariance({ width: W, height: W, data: soft }, stone);
    expect(sharp).toBeGreaterThan(10_000);
    expect(blurred).toBeLessThan(sharp / 2);
  });
});
