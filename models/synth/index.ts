/** The renderer's public face: draw a stone, render it, encode it. */
import sharp from 'sharp';
import type { RenderedStone } from './render.ts';

export { createRng, hashSeed, type Rng } from './rng.ts';
export { sampleStone, specFromParts, type StoneSpec } from './stone.ts';
export { renderStone, type RenderOptions, type RenderedStone, type StoneLabels } from './render.ts';
export { COLOUR_GRADES, CLARITY_GRADES, CUT_GRADES } from './grades.ts';
export { STANDARD_PROPORTIONS, buildMesh, type Proportions } from './geometry.ts';

export function encodePng(stone: Pick<RenderedStone, 'rgb' | 'width' | 'height'>): Promise<Buffer> {
  return sharp(Buffer.from(stone.rgb.buffer, stone.rgb.byteOffset, stone.rgb.byteLength), { raw: { width: stone.width, height: stone.height, channels: 3 } })
    .png({ compressionLevel: 6 })
    .toBuffer();
}
