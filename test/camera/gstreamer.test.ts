import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { CameraError } from '../../device/camera/errors.ts';
import { GstreamerCamera, gstreamerArgs, DEFAULT_GSTREAMER } from '../../device/camera/gstreamer.ts';

async function codeOf(promise: Promise<unknown>): Promise<CameraError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CameraError);
    return error as CameraError;
  }
  throw new Error('expected a CameraError');
}

describe('gstreamerArgs', () => {
  it('builds the Jetson CSI pipeline: Argus source, NVMM caps, nvvidconv, jpegenc, one overwritten file', () => {
    expect(gstreamerArgs({ ...DEFAULT_GSTREAMER, sensorId: 1 }, '/tmp/x/frame.jpg')).toEqual([
      '-q', '-e',
      'nvarguscamerasrc', 'sensor-id=1', 'num-buffers=10',
      '!', 'video/x-raw(memory:NVMM),width=1920,height=1080,framerate=30/1',
      '!', 'nvvidconv',
      '!', 'video/x-raw,format=I420',
      '!', 'jpegenc', 'quality=92',
      '!', 'multifilesink', 'location=/tmp/x/frame.jpg',
    ]);
  });

  it('follows the size, rate, buffer count and quality options', () => {
    const args = gstreamerArgs({ ...DEFAULT_GSTREAMER, width: 1280, height: 720, framerate: 60, buffers: 4, jpegQuality: 80 }, '/f.jpg');
    expect(args).toContain('video/x-raw(memory:NVMM),width=1280,height=720,framerate=60/1');
    expect(args).toContain('num-buffers=4');
    expect(args).toContain('quality=80');
  });

  it('uses a custom source pipeline as argv tokens and appends the sink', () => {
    const args = gstreamerArgs({ ...DEFAULT_GSTREAMER, pipeline: 'v4l2src  device=/dev/video1 num-buffers=3 ! jpegenc' }, '/f.jpg');
    expect(args).toEqual(['-q', '-e', 'v4l2src', 'device=/dev/video1', 'num-buffers=3', '!', 'jpegenc', '!', 'multifilesink', 'location=/f.jpg']);
  });
});

describe('GstreamerCamera without GStreamer', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loupe-gst-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('start() fails with CAMERA_PROGRAM_MISSING when gst-launch-1.0 is absent', async () => {
    const camera = new GstreamerCamera({ program: join(dir, 'gst-launch-1.0') });
    const e = await codeOf(camera.start());
    expect(e.code).toBe('CAMERA_PROGRAM_MISSING');
    expect(e.message).toContain('gst-launch-1.0 is not installed');
  });

  it('capture() fails with CAMERA_PROGRAM_MISSING when gst-launch-1.0 disappears after start', async () => {
    // A program that answers --version (here: true) passes start; then it is removed.
    const program = join(dir, 'gst-launch-1.0');
    await copyFile('/bin/true', program);
    const camera = new GstreamerCamera({ program });
    await camera.start();
    await rm(program);
    const e = await codeOf(camera.capture());
    expect(e.code).toBe('CAMERA_PROGRAM_MISSING');
  });

  it('a pipeline that writes no frame is CAMERA_UNAVAILABLE, not an empty image', async () => {
    const camera = new GstreamerCamera({ program: '/bin/true' });
    await camera.start();
    const e = await codeOf(camera.capture());
    expect(e.code).toBe('CAMERA_UNAVAILABLE');
    expect(e.message).toContain('wrote nothing');
  });

  it('capture() before start() is CAMERA_NOT_STARTED', async () => {
    expect((await codeOf(new GstreamerCamera().capture())).code).toBe('CAMERA_NOT_STARTED');
  });
});
