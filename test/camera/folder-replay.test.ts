import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { CameraError } from '../../device/camera/errors.ts';
import { FolderReplayCamera } from '../../device/camera/folder-replay.ts';
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

const solid = (width: number, r: number) => sharp({ create: { width, height: 20, channels: 3, background: { r, g: 100, b: 100 } } });

describe('FolderReplayCamera', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loupe-replay-'));
    const replay = join(dir, 'replay');
    await mkdir(replay);
    // Widths tell the files apart; names test numeric-aware order (2 before 10).
    await writeFile(join(replay, '10.jpg'), await solid(30, 10).jpeg().toBuffer());
    await writeFile(join(replay, '2.png'), await solid(20, 20).png().toBuffer());
    await writeFile(join(replay, '1.JPEG'), await solid(10, 30).jpeg().toBuffer());
    await writeFile(join(replay, 'notes.txt'), 'not a frame');
    await writeFile(join(replay, '3.jpg'), 'garbage that claims to be a jpeg');
    await mkdir(join(dir, 'empty'));
    await writeFile(join(dir, 'empty', 'readme.md'), '# nothing to replay');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replays the images in numeric-aware name order, round and round, skipping other files', async () => {
    const camera = new FolderReplayCamera(join(dir, 'replay'));
    await camera.start();
    expect(camera.playlist).toEqual(['1.JPEG', '2.png', '3.jpg', '10.jpg']);
    const widths: number[] = [];
    for (let i = 0; i < 5; i++) {
      widths.push((await camera.capture()).width);
      await camera.nextStone();
    }
    expect(widths).toEqual([10, 20, 0, 30, 10]);
  });

  it('keeps one image on the tray until nextStone(): previews and the grade see the same stone', async () => {
    const camera = new FolderReplayCamera(join(dir, 'replay'));
    await camera.start();
    const first = await camera.capture();
    expect((await camera.capture()).data.equals(first.data)).toBe(true);
    expect((await camera.capture()).source).toBe(first.source);
    await camera.nextStone();
    expect((await camera.capture()).width).toBe(20);
  });

  it('passes the bytes through as stored, tagged with their path', async () => {
    const camera = new FolderReplayCamera(join(dir, 'replay'));
    await camera.start();
    const frame = await camera.capture();
    expect(frame.source).toBe(`folder:${join(dir, 'replay', '1.JPEG')}`);
    expect((await decodeImage(frame.data)).data[0]).toBeGreaterThan(20);
  });

  it('hands on an unreadable image with 0×0, and decoding refuses it with its own code', async () => {
    const camera = new FolderReplayCamera(join(dir, 'replay'));
    await camera.start();
    await camera.nextStone();
    await camera.nextStone();
    const garbage = await camera.capture();
    expect([garbage.width, garbage.height]).toEqual([0, 0]);
    await expect(decodeImage(garbage.data)).rejects.toMatchObject({ code: 'IMAGE_UNSUPPORTED' });
  });

  it('a file deleted mid-replay is CAMERA_UNAVAILABLE, and the replay carries on', async () => {
    const folder = join(dir, 'shrinking');
    await mkdir(folder);
    await writeFile(join(folder, 'a.jpg'), await solid(11, 1).jpeg().toBuffer());
    await writeFile(join(folder, 'b.jpg'), await solid(12, 1).jpeg().toBuffer());
    const camera = new FolderReplayCamera(folder);
    await camera.start();
    await rm(join(folder, 'a.jpg'));
    const e = await codeOf(camera.capture());
    expect(e.code).toBe('CAMERA_UNAVAILABLE');
    expect(e.message).toContain('a.jpg');
    expect((await camera.capture()).width).toBe(12);
  });

  it('refuses a folder without images (CAMERA_FOLDER_EMPTY)', async () => {
    const e = await codeOf(new FolderReplayCamera(join(dir, 'empty')).start());
    expect(e.code).toBe('CAMERA_FOLDER_EMPTY');
    expect(e.message).toContain('no images');
  });

  it('refuses a missing folder (CAMERA_FOLDER_MISSING)', async () => {
    const e = await codeOf(new FolderReplayCamera(join(dir, 'nope')).start());
    expect(e.code).toBe('CAMERA_FOLDER_MISSING');
    expect(e.message).toContain('ENOENT');
  });

  it('capture() before start() is CAMERA_NOT_STARTED', async () => {
    expect((await codeOf(new FolderReplayCamera(dir).capture())).code).toBe('CAMERA_NOT_STARTED');
  });
});
