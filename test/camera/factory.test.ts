import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { CameraError } from '../../device/camera/errors.ts';
import { createCamera, detectCamera, parseCameraSpec } from '../../device/camera/factory.ts';
import { FolderReplayCamera } from '../../device/camera/folder-replay.ts';
import { GstreamerCamera } from '../../device/camera/gstreamer.ts';
import { SyntheticCamera } from '../../device/camera/synthetic.ts';
import { V4l2Camera } from '../../device/camera/v4l2.ts';

describe('parseCameraSpec', () => {
  it.each([
    ['synthetic', { kind: 'synthetic' }],
    ['synthetic:42', { kind: 'synthetic', seed: 42 }],
    ['folder:/var/lib/loupe/replay', { kind: 'folder', dir: '/var/lib/loupe/replay' }],
    ['v4l2:/dev/video0', { kind: 'v4l2', device: '/dev/video0' }],
    ['gst:0', { kind: 'gst', sensorId: 0 }],
    ['gst:videotestsrc num-buffers=1 ! jpegenc', { kind: 'gst', pipeline: 'videotestsrc num-buffers=1 ! jpegenc' }],
    ['  v4l2:/dev/video12 ', { kind: 'v4l2', device: '/dev/video12' }],
  ])('%s', (spec, parsed) => {
    expect(parseCameraSpec(spec)).toEqual(parsed);
  });

  it.each([
    ['webcam', /not a camera Loupe knows/],
    ['', /not a camera Loupe knows/],
    ['synthetic:abc', /seed must be a whole number/],
    ['folder:', /folder needs a directory/],
    ['v4l2:/dev/sda', /v4l2 needs a device like \/dev\/video0/],
    ['v4l2:', /v4l2 needs a device/],
    ['gst:', /gst needs a sensor id/],
  ])('refuses %j with CAMERA_SPEC_INVALID', (spec, message) => {
    let caught: unknown;
    try {
      parseCameraSpec(spec);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(CameraError);
    expect((caught as CameraError).code).toBe('CAMERA_SPEC_INVALID');
    expect((caught as CameraError).message).toMatch(message);
  });
});

describe('createCamera', () => {
  it('builds the adapter each spec names, without starting it', () => {
    expect(createCamera('synthetic')).toBeInstanceOf(SyntheticCamera);
    expect(createCamera('folder:/nonexistent')).toBeInstanceOf(FolderReplayCamera);
    expect(createCamera('v4l2:/dev/video9')).toBeInstanceOf(V4l2Camera);
    expect(createCamera('gst:0')).toBeInstanceOf(GstreamerCamera);
    expect(createCamera('gst:0').kind).toBe('gst');
  });

  it('passes the calibration to the synthetic camera', async () => {
    const camera = createCamera('synthetic:3', { mmPerPx: 0.05, width: 320, height: 240 }) as SyntheticCamera;
    await camera.start();
    expect(camera.labels.mm_per_px).toBeCloseTo(0.05, 6);
    expect((await camera.capture()).width).toBe(320);
    expect((await camera.capture()).source).toBe('synthetic:3/0');
  });
});

describe('detectCamera', () => {
  it('picks the lowest-numbered /dev/videoN when there is one', async () => {
    const dev = await mkdtemp(join(tmpdir(), 'loupe-dev-'));
    try {
      for (const name of ['video10', 'video2', 'videox', 'sda']) await writeFile(join(dev, name), '');
      expect(await detectCamera(dev)).toBe(`v4l2:${dev}/video2`);
      expect(parseCameraSpec(await detectCamera(dev))).toEqual({ kind: 'v4l2', device: `${dev}/video2` });
    } finally {
      await rm(dev, { recursive: true, force: true });
    }
  });

  it('falls back to synthetic when there is no video device', async () => {
    const dev = await mkdtemp(join(tmpdir(), 'loupe-dev-'));
    try {
      expect(await detectCamera(dev)).toBe('synthetic');
      expect(await detectCamera(join(dev, 'missing'))).toBe('synthetic');
    } finally {
      await rm(dev, { recursive: true, force: true });
    }
  });
});
