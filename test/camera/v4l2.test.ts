import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { CameraError } from '../../device/camera/errors.ts';
import { V4l2Camera, fswebcamArgs, fswebcamError, DEFAULT_V4L2 } from '../../device/camera/v4l2.ts';
import { decodeImage } from '../../device/vision/decode.ts';

async function codeOf(promise: Promise<unknown>): Promise<CameraError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CameraError);
    return error as CameraError;
  }
  throw new Error('expected a CameraError');
}

describe('V4l2Camera (fswebcam)', () => {
  let dir: string;
  let imagePath: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loupe-v4l2-'));
    imagePath = join(dir, 'tray.jpg');
    // A 640×480 "capture": the tray colour with a dark disc in the middle.
    const disc = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480"><rect width="640" height="480" fill="rgb(214,214,213)"/><circle cx="320" cy="240" r="90" fill="rgb(40,40,50)"/></svg>');
    await sharp(disc).jpeg({ quality: 95 }).toFile(imagePath);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('builds the fswebcam argv: device, resolution, skip, no banner, JPEG to stdout', () => {
    expect(fswebcamArgs({ ...DEFAULT_V4L2, device: '/dev/video0' })).toEqual([
      '--device', '/dev/video0', '--resolution', '1280x720', '--skip', '5', '--no-banner', '--jpeg', '92', '-',
    ]);
  });

  it('captures a real frame through fswebcam from a FILE: source', async () => {
    const camera = new V4l2Camera({ device: `FILE:${imagePath}`, width: 640, height: 480, skipFrames: 0 });
    await camera.start();
    const frame = await camera.capture();
    await camera.stop();
    expect(frame.source).toBe(`v4l2:FILE:${imagePath}`);
    expect([frame.width, frame.height]).toEqual([640, 480]);
    expect(frame.data.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(Date.parse(frame.capturedAt)).toBeGreaterThan(Date.now() - 60_000);
    // fswebcam re-encoded the file: the disc is still dark, the tray still light.
    const img = await decodeImage(frame.data);
    const at = (x: number, y: number) => img.data[(y * img.width + x) * 3];
    expect(at(320, 240)).toBeLessThan(70);
    expect(at(20, 20)).toBeGreaterThan(190);
  });

  it("captures fswebcam's TEST: pattern at the requested resolution", async () => {
    const camera = new V4l2Camera({ device: 'TEST:', width: 320, height: 240, skipFrames: 0 });
    await camera.start();
    const frame = await camera.capture();
    expect([frame.width, frame.height]).toEqual([320, 240]);
    const img = await decodeImage(frame.data);
    expect(img.data.length).toBe(320 * 240 * 3);
  });

  it('reports a missing /dev/video9 as CAMERA_UNAVAILABLE with the stderr line, although fswebcam exits 0', async () => {
    const camera = new V4l2Camera({ device: '/dev/video9', skipFrames: 0 });
    const e = await codeOf(camera.start());
    expect(e.code).toBe('CAMERA_UNAVAILABLE');
    expect(e.message).toContain('/dev/video9');
    expect(e.message).toContain('No such file or directory');
    // Refused at start: capture is not possible either.
    expect((await codeOf(camera.capture())).code).toBe('CAMERA_NOT_STARTED');
  });

  it('a camera that goes away after start fails the next capture with CAMERA_UNAVAILABLE, then works again', async () => {
    const path = join(dir, 'unplug.jpg');
    await writeFile(path, await sharp({ create: { width: 64, height: 48, channels: 3, background: '#d6d6d5' } }).jpeg().toBuffer());
    const camera = new V4l2Camera({ device: `FILE:${path}`, width: 64, height: 48, skipFrames: 0 });
    await camera.start();
    await rm(path);
    const e = await codeOf(camera.capture());
    expect(e.code).toBe('CAMERA_UNAVAILABLE');
    expect(e.message).toMatch(/Error accessing file/);
    await writeFile(path, await sharp({ create: { width: 64, height: 48, channels: 3, background: '#d6d6d5' } }).jpeg().toBuffer());
    expect((await camera.capture()).width).toBe(64);
  });

  it('times out a capture that hangs (CAMERA_TIMEOUT)', async () => {
    // A FIFO nobody writes to: fswebcam blocks reading it, as on a wedged USB camera.
    const fifo = join(dir, 'wedged.jpg');
    execFileSync('mkfifo', [fifo]);
    const camera = new V4l2Camera({ device: `FILE:${fifo}`, width: 64, height: 48, skipFrames: 0, timeoutMs: 300 });
    const e = await codeOf(camera.start());
    expect(e.code).toBe('CAMERA_TIMEOUT');
    expect(e.message).toContain('300 ms');
  });

  it('says so when fswebcam is not installed (CAMERA_PROGRAM_MISSING)', async () => {
    const camera = new V4l2Camera({ device: 'TEST:', program: join(dir, 'no-such-fswebcam') });
    const e = await codeOf(camera.start());
    expect(e.code).toBe('CAMERA_PROGRAM_MISSING');
    expect(e.message).toContain('not installed');
  });

  it('serialises overlapping captures on one device', async () => {
    const camera = new V4l2Camera({ device: 'TEST:', width: 160, height: 120, skipFrames: 0 });
    await camera.start();
    const frames = await Promise.all([camera.capture(), camera.capture(), camera.capture()]);
    expect(frames.map((f) => f.width)).toEqual([160, 160, 160]);
  });
});

describe('fswebcamError', () => {
  it('picks the red error lines out of the progress chatter', () => {
    const stderr = '\x1b[1m--- Opening /dev/video9...\n\x1b[0m\x1b[31mstat: No such file or directory\n\x1b[0m';
    expect(fswebcamError(stderr)).toBe('stat: No such file or directory');
  });

  it('falls back to the last line that is not a progress header', () => {
    expect(fswebcamError('--- Opening x...\nsomething odd\n')).toBe('something odd');
    expect(fswebcamError('')).toBe('no image and no error message');
  });
});
