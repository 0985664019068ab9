import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, it, expect } from 'vitest';
import { CameraError } from '../../device/camera/errors.ts';
import { SyntheticCamera, featheredTile, tileBorderColour } from '../../device/camera/synthetic.ts';
import { decodeImage } from '../../device/vision/decode.ts';
import { locateStone } from '../../device/vision/locate.ts';

// Half the device's resolution and magnification: the same field of view, renders 4× cheaper.
const SMALL = { width: 640, height: 360, mmPerPx: 0.05 };

describe('SyntheticCamera', () => {
  it('renders a stone at the calibrated scale onto a tray-coloured JPEG frame', async () => {
    const camera = new SyntheticCamera({ ...SMALL, seed: 3 });
    await camera.start();
    const frame = await camera.capture();
    const labels = camera.labels;
    expect(camera.kind).toBe('synthetic');
    expect([frame.width, frame.height]).toEqual([640, 360]);
    const meta = await sharp(frame.data).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 640, 360]);
    // The calibration fixes the size: diameter_px = diameter_mm / mm_per_px.
    expect(labels.mm_per_px).toBeCloseTo(0.05, 6);
    expect(labels.diameter_px).toBeCloseTo(labels.diameter_mm / 0.05, 2);
    // Centred, up to the renderer's small pose jitter (σ = 3 % of the diameter).
    expect(Math.abs(labels.centre_x_px - 320)).toBeLessThan(0.15 * labels.diameter_px);
    expect(Math.abs(labels.centre_y_px - 180)).toBeLessThan(0.15 * labels.diameter_px);
    // The frame corners are the tray, a light grey.
    const img = await decodeImage(frame.data);
    for (const c of [0, 1, 2]) expect(Math.abs(img.data[c] - camera.current.trayColour[c])).toBeLessThan(6);
    expect(camera.current.trayColour[1]).toBeGreaterThan(180);
    // The labels are right: the girdle is where they say.
    const found = locateStone(img)!;
    expect(Math.hypot(found.centreX - labels.centre_x_px, found.centreY - labels.centre_y_px)).toBeLessThan(0.02 * labels.diameter_px);
    expect(Math.abs(found.diameterPx - labels.diameter_px)).toBeLessThan(0.025 * labels.diameter_px);
    await camera.stop();
  });

  it('returns the same stone until placeNext(), then another', async () => {
    const camera = new SyntheticCamera({ ...SMALL, seed: 4 });
    await camera.start();
    const a = await camera.capture();
    const b = await camera.capture();
    const first = camera.labels;
    expect(b.data.equals(a.data)).toBe(true);
    const next = await camera.placeNext();
    const c = await camera.capture();
    expect(c.data.equals(a.data)).toBe(false);
    expect(next).toEqual(camera.labels);
    expect([next.carat, next.colour, next.rotation_deg]).not.toEqual([first.carat, first.colour, first.rotation_deg]);
    expect(c.source).toBe('synthetic:4/1');
  });

  it('changes the stone on every capture when asked to', async () => {
    const camera = new SyntheticCamera({ ...SMALL, seed: 5, newStoneEachCapture: true });
    await camera.start();
    const a = await camera.capture();
    const la = camera.labels;
    const b = await camera.capture();
    expect(b.data.equals(a.data)).toBe(false);
    expect(camera.labels).not.toEqual(la);
  });

  it('the same seed gives the same stones, byte for byte', async () => {
    const one = new SyntheticCamera({ ...SMALL, seed: 6, format: 'png' });
    const two = new SyntheticCamera({ ...SMALL, seed: 6, format: 'png' });
    await one.start();
    await two.start();
    expect((await one.capture()).data.equals((await two.capture()).data)).toBe(true);
    expect((await sharp((await one.capture()).data).metadata()).format).toBe('png');
  });

  it('moves the stone by offsetPx, and the labels follow', async () => {
    const centred = new SyntheticCamera({ ...SMALL, seed: 8 });
    const moved = new SyntheticCamera({ ...SMALL, seed: 8, offsetPx: { x: 150, y: -40 } });
    await centred.start();
    await moved.start();
    expect(moved.labels.centre_x_px - centred.labels.centre_x_px).toBeCloseTo(150, 6);
    expect(moved.labels.centre_y_px - centred.labels.centre_y_px).toBeCloseTo(-40, 6);
    const found = locateStone(await decodeImage((await moved.capture()).data))!;
    expect(Math.abs(found.centreX - moved.labels.centre_x_px)).toBeLessThan(0.02 * moved.labels.diameter_px);
  });

  it('refuses impossible settings and use before start', async () => {
    await expect(new SyntheticCamera({ mmPerPx: 0 }).start()).rejects.toMatchObject({ code: 'CAMERA_SPEC_INVALID' });
    await expect(new SyntheticCamera({ width: 10 }).start()).rejects.toBeInstanceOf(CameraError);
    const camera = new SyntheticCamera(SMALL);
    await expect(camera.capture()).rejects.toMatchObject({ code: 'CAMERA_NOT_STARTED' });
    await expect(camera.placeNext()).rejects.toMatchObject({ code: 'CAMERA_NOT_STARTED' });
    expect(() => camera.labels).toThrowError(/not been started/);
  });
});

describe('compositing helpers', () => {
  it('tileBorderColour is the median of the outermost ring', () => {
    const rgb = new Uint8Array(5 * 5 * 3).fill(200);
    rgb.set([0, 0, 0], (2 * 5 + 2) * 3); // the centre does not count
    rgb.set([10, 10, 10], 0); // one odd corner does not move the median
    expect(tileBorderColour({ width: 5, height: 5, rgb })).toEqual([200, 200, 200]);
  });

  it('featheredTile is opaque in the middle and transparent at the very edge', () => {
    const rgb = new Uint8Array(40 * 40 * 3).fill(90);
    const rgba = featheredTile({ width: 40, height: 40, rgb });
    expect(rgba[(20 * 40 + 20) * 4 + 3]).toBe(255);
    expect(rgba[3]).toBeLessThan(10);
    expect(rgba[(20 * 40 + 20) * 4]).toBe(90);
  });
});

describe('SyntheticCamera frames on disk', () => {
  it('are ordinary JPEG files other tools can read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loupe-synth-'));
    try {
      const camera = new SyntheticCamera({ ...SMALL, seed: 9 });
      await camera.start();
      const path = join(dir, 'frame.jpg');
      await sharp((await camera.capture()).data).toFile(path);
      expect((await sharp(path).metadata()).width).toBe(640);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
