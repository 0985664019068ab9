import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { CalibrationStore, DEFAULT_MM_PER_PX } from '../../device/calibration/store.ts';
import { measureDisk } from '../../device/calibration/measure.ts';
import { run as calibrate } from '../../device/cli/calibrate.ts';
import { decodeImage } from '../../device/vision/decode.ts';
import { VisionError } from '../../device/vision/errors.ts';

const execFileAsync = promisify(execFile);

/** A capture of the reference disk: a dark disk drawn by sharp (antialiased) on the tray. */
function diskFrame(width: number, height: number, cx: number, cy: number, r: number, fill = 'rgb(35,35,40)'): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" fill="rgb(214,214,213)"/><circle cx="${cx}" cy="${cy}" r="${r}" fill="${fill}"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 92 }).toBuffer();
}

function visionCode(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(VisionError);
    return (error as VisionError).code;
  }
  throw new Error('expected a VisionError');
}

describe('measureDisk', () => {
  it('measures a 10 mm disk drawn 400 px across to better than 0.2 %', async () => {
    // 0.025 mm/px: the default field of view. The centre is off the pixel grid on purpose.
    const image = await decodeImage(await diskFrame(1280, 720, 641.3, 359.6, 200));
    const m = measureDisk(image, 10);
    expect(Math.abs(m.diskPx - 400) / 400).toBeLessThan(0.002);
    expect(Math.abs(m.mmPerPx - 0.025) / 0.025).toBeLessThan(0.002);
    expect(m.centreX).toBeCloseTo(641.3, 0);
    expect(m.centreY).toBeCloseTo(359.6, 0);
    expect(m.contrast).toBeGreaterThan(150);
  });

  it('reports capture pixels when the frame was shrunk on load', async () => {
    const image = await decodeImage(await diskFrame(1920, 1080, 960, 540, 300));
    expect(image.pxScale).toBe(2);
    const m = measureDisk(image, 12);
    expect(Math.abs(m.diskPx - 600) / 600).toBeLessThan(0.003);
    expect(m.centreX).toBeCloseTo(960, -1);
  });

  it('refuses a capture with no disk (CALIBRATION_DISK_NOT_FOUND)', async () => {
    const empty = await decodeImage(await sharp({ create: { width: 640, height: 360, channels: 3, background: { r: 214, g: 214, b: 213 } } }).jpeg().toBuffer());
    expect(visionCode(() => measureDisk(empty, 10))).toBe('CALIBRATION_DISK_NOT_FOUND');
  });

  it('refuses a disk that runs off the frame (CALIBRATION_DISK_CUT_OFF)', async () => {
    const image = await decodeImage(await diskFrame(1280, 720, 120, 360, 200));
    expect(visionCode(() => measureDisk(image, 10))).toBe('CALIBRATION_DISK_CUT_OFF');
  });

  it('refuses a pale object that is not the dark reference disk', async () => {
    const image = await decodeImage(await diskFrame(1280, 720, 640, 360, 200, 'rgb(240,200,200)'));
    let caught: unknown;
    try {
      measureDisk(image, 10);
    } catch (error) {
      caught = error;
    }
    expect((caught as VisionError).code).toBe('CALIBRATION_DISK_NOT_FOUND');
    expect((caught as VisionError).message).toMatch(/not a dark disk/);
  });

  it('refuses a non-positive disk diameter', async () => {
    const image = await decodeImage(await diskFrame(640, 360, 320, 180, 100));
    expect(visionCode(() => measureDisk(image, 0))).toBe('CALIBRATION_DISK_NOT_FOUND');
  });
});

describe('CalibrationStore', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loupe-cal-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the default, flagged uncalibrated, when nothing was measured', async () => {
    const cal = await new CalibrationStore(join(dir, 'fresh')).load();
    expect(cal).toEqual({ mmPerPx: DEFAULT_MM_PER_PX, calibrated: false, measuredAt: null, diskMm: null, diskPx: null });
  });

  it('saves atomically (no temp file left) and loads back what was saved', async () => {
    const store = new CalibrationStore(join(dir, 'a'));
    const record = { mmPerPx: 0.0251, measuredAt: '2026-01-02T03:04:05.000Z', diskMm: 10, diskPx: 398.4 };
    await store.save(record);
    expect(await readdir(join(dir, 'a'))).toEqual(['calibration.json']);
    expect(await store.load()).toEqual({ ...record, calibrated: true });
    await store.save({ ...record, mmPerPx: 0.03 });
    expect((await store.load()).mmPerPx).toBe(0.03);
  });

  it('refuses a corrupt file with CALIBRATION_INVALID, naming the file', async () => {
    const store = new CalibrationStore(join(dir, 'b'));
    await store.save({ mmPerPx: 0.02, measuredAt: new Date().toISOString(), diskMm: 10, diskPx: 500 });
    await writeFile(store.path, '{"mmPerPx": 0.02, "measur');
    await expect(store.load()).rejects.toMatchObject({ code: 'CALIBRATION_INVALID', message: expect.stringContaining(store.path) });
  });

  it('prefixes each schema problem with its setting path', async () => {
    const store = new CalibrationStore(join(dir, 'c'));
    await store.save({ mmPerPx: 0.02, measuredAt: new Date().toISOString(), diskMm: 10, diskPx: 500 });
    await writeFile(store.path, JSON.stringify({ mmPerPx: -1, measuredAt: 'yesterday', diskMm: 10, diskPx: 500, extra: 1 }));
    const error = (await store.load().then(
      () => new Error('loaded'),
      (e: Error) => e,
    )) as Error;
    expect(error.message).toContain('calibration.mmPerPx:');
    expect(error.message).toContain('calibration.measuredAt:');
    expect(error.message).toMatch(/extra/);
  });
});

describe('loupe calibrate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loupe-cal-cli-'));
    await writeFile(join(dir, 'disk.jpg'), await diskFrame(1280, 720, 640, 360, 200));
    await writeFile(join(dir, 'cut.jpg'), await diskFrame(1280, 720, 60, 360, 200));
    await writeFile(join(dir, 'empty.jpg'), await sharp({ create: { width: 640, height: 360, channels: 3, background: '#d6d6d5' } }).jpeg().toBuffer());
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('measures, prints and stores mm per pixel (through the real CLI)', async () => {
    const data = join(dir, 'data');
    const { stdout } = await execFileAsync('node', ['bin/loupe.js', 'calibrate', '--image', join(dir, 'disk.jpg'), '--disk-mm', '10', '--data', data]);
    expect(stdout).toMatch(/scale: 0\.025\d* mm\/px/);
    const saved = JSON.parse(await readFile(join(data, 'calibration.json'), 'utf8'));
    expect(Math.abs(saved.mmPerPx - 0.025) / 0.025).toBeLessThan(0.002);
    expect(saved.diskMm).toBe(10);
    expect(Math.abs(saved.diskPx - 400)).toBeLessThan(0.8);
    expect(Date.parse(saved.measuredAt)).toBeGreaterThan(Date.now() - 120_000);
    expect((await new CalibrationStore(data).load()).calibrated).toBe(true);
  });

  it('refuses a disk cut off or missing, stores nothing, exits 1 with the code', async () => {
    const data = join(dir, 'refused');
    const errors: string[] = [];
    const original = console.error;
    console.error = (line: string) => errors.push(line);
    try {
      expect(await calibrate(['--image', join(dir, 'cut.jpg'), '--disk-mm', '10', '--data', data])).toBe(1);
      expect(await calibrate(['--image', join(dir, 'empty.jpg'), '--disk-mm', '10', '--data', data])).toBe(1);
      expect(await calibrate(['--image', join(dir, 'missing.jpg'), '--disk-mm', '10', '--data', data])).toBe(1);
      expect(await calibrate(['--image', join(dir, 'disk.jpg'), '--disk-mm', 'ten', '--data', data])).toBe(2);
      expect(await calibrate(['--image', join(dir, 'disk.jpg'), '--bogus'])).toBe(2);
    } finally {
      console.error = original;
    }
    expect(errors[0]).toMatch(/\[CALIBRATION_DISK_CUT_OFF\]/);
    expect(errors[1]).toMatch(/\[CALIBRATION_DISK_NOT_FOUND\]/);
    expect(errors[2]).toMatch(/\[IMAGE_UNREADABLE\].*ENOENT/);
    expect(errors[3]).toMatch(/positive --disk-mm/);
    expect(errors[4]).toMatch(/usage: loupe calibrate/);
    expect((await new CalibrationStore(data).load()).calibrated).toBe(false);
  });
});
