/** Camera frames for folder-replay tests, made with the real renderer and sharp. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createRng, renderStone, sampleStone } from '../../../models/synth/index.ts';

const RENDER_PX = 480;
const FRAME_PX = 330;

/**
 * A whole stone on the tray, well away from the centre: the render is centred, so cutting a
 * square from its top-left corner moves the stone towards the bottom-right of the frame
 * (centre offset ≈ 0.32 of the frame, past the gate's 0.2) while keeping all of it in view.
 */
export async function offCentreStonePng(seed = 10): Promise<Buffer> {
  const spec = sampleStone(createRng(seed));
  const rendered = renderStone(spec, { sizePx: RENDER_PX, fovFactor: 3.0, seed, samplesPerPixel: 1 });
  return sharp(Buffer.from(rendered.rgb.buffer, rendered.rgb.byteOffset, rendered.rgb.byteLength), { raw: { width: rendered.width, height: rendered.height, channels: 3 } })
    .extract({ left: 0, top: 0, width: FRAME_PX, height: FRAME_PX })
    .png()
    .toBuffer();
}

/** A replay folder holding just the given PNG frames. */
export async function replayFolder(frames: Buffer[]): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'loupe-ui-frames-'));
  await mkdir(dir, { recursive: true });
  await Promise.all(frames.map((png, i) => writeFile(path.join(dir, `${String(i).padStart(3, '0')}.png`), png)));
  return dir;
}
