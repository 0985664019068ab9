/**
 * Encoded bytes → packed 8-bit sRGB at a working resolution, refusing what cannot be graded
 * with a code and a reason, and converting on purpose what can (16-bit, CMYK, alpha).
 */
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { VisionError } from './errors.ts';
import { DEFAULT_TRAY_COLOUR } from './tray.ts';
import type { DecodedImage, DecodeLimits } from './types.ts';

/** 40 MP: four times a 12 MP sensor; a frame past this is a mistake or an attack. */
export const MAX_DECODED_PIXELS = 40_000_000;
/** Shrink big frames on load while their long side stays ≥ 800 px (1920×1080 → 960×540). */
export const WORKING_MIN_SIDE = 800;

export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  maxPixels: MAX_DECODED_PIXELS,
  workingMinSide: WORKING_MIN_SIDE,
  trayColour: DEFAULT_TRAY_COLOUR,
};

const ACCEPTED_FORMATS = new Set(['jpeg', 'png', 'webp', 'tiff']);
const GREY_SPACES = new Set(['b-w', 'grey16']);

/** The largest power of two that keeps the long side ≥ minSide (1 = no shrink). */
export function shrinkFactor(width: number, height: number, minSide: number): number {
  if (minSide <= 0) return 1;
  let factor = 1;
  while (Math.max(width, height) / (factor * 2) >= minSide) factor *= 2;
  return factor;
}

export async function decodeImage(bytes: Uint8Array, limits: Partial<DecodeLimits> = {}): Promise<DecodedImage> {
  const { maxPixels, workingMinSide, trayColour } = { ...DEFAULT_DECODE_LIMITS, ...limits };
  if (bytes.length === 0) throw new VisionError('IMAGE_EMPTY', 'The image file is empty (0 bytes); capture the frame again.');
  const input = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  let meta: Metadata;
  try {
    // The header only: nothing is decoded until the size has been checked.
    meta = await sharp(input, { limitInputPixels: false, failOn: 'none' }).metadata();
  } catch (error) {
    throw new VisionError('IMAGE_UNSUPPORTED', `Not an image Loupe can read (JPEG, PNG, WebP or TIFF): ${(error as Error).message}.`);
  }
  if (!meta.format || !ACCEPTED_FORMATS.has(meta.format) || !meta.width || !meta.height) {
    throw new VisionError('IMAGE_UNSUPPORTED', `Unsupported image format "${meta.format ?? 'unknown'}"; use JPEG, PNG, WebP or TIFF.`);
  }
  const pixels = meta.width * meta.height;
  if (pixels > maxPixels) {
    throw new VisionError(
      'IMAGE_TOO_LARGE',
      `The image is ${meta.width}×${meta.height} (${(pixels / 1e6).toFixed(1)} MP), over the ${(maxPixels / 1e6).toFixed(0)} MP limit; capture at a lower resolution.`,
    );
  }
  if ((meta.channels ?? 3) < 3 || (meta.space && GREY_SPACES.has(meta.space))) {
    throw new VisionError('IMAGE_GREYSCALE', 'The image is greyscale; colour grading needs a colour camera frame.');
  }

  const conversions: string[] = [];
  let pipeline = sharp(input, { failOn: 'truncated', limitInputPixels: maxPixels });
  const factor = shrinkFactor(meta.width, meta.height, workingMinSide);
  const width = Math.max(1, Math.round(meta.width / factor));
  const height = Math.max(1, Math.round(meta.height / factor));
  if (factor > 1) {
    // sharp lets a JPEG shrink in its DCT on load only to half the factor asked for (it skips
    // an exact match to dodge libjpeg's rounding, src/pipeline.cc): at 1/2 it decodes full size,
    // at 1/4 it decodes at 1/2. So a 2× reduce is always left, and a linear kernel does it as a
    // 4-tap triangle: no aliasing of facet edges (nearest would just drop every 2nd pixel) for
    // ~0.3 ms at 2 MP, where lanczos costs ~3 ms. Other formats keep lanczos.
    const kernel = meta.format === 'jpeg' ? 'linear' : 'lanczos3';
    pipeline = pipeline.resize(width, height, { fit: 'fill', fastShrinkOnLoad: true, kernel });
    conversions.push(`shrunk 1/${factor} on load`);
  }
  if (meta.hasAlpha) {
    pipeline = pipeline.flatten({ background: { r: trayColour[0], g: trayColour[1], b: trayColour[2] } });
    conversions.push('alpha flattened onto tray');
  }
  if (meta.space === 'cmyk') conversions.push('cmyk → sRGB');
  else if (meta.space && meta.space !== 'srgb' && meta.space !== 'rgb16') conversions.push(`${meta.space} → sRGB`);
  if (meta.depth && meta.depth !== 'uchar') conversions.push(`${meta.depth === 'ushort' ? '16' : meta.depth}-bit → 8-bit`);
  pipeline = pipeline.toColourspace('srgb').removeAlpha();

  let raw: { data: Buffer; info: OutputInfo };
  try {
    raw = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new VisionError('IMAGE_TRUNCATED', `The ${meta.format.toUpperCase()} data is truncated or corrupt (${(error as Error).message}); capture the frame again.`);
  }
  if (raw.info.channels !== 3) {
    throw new VisionError('IMAGE_UNSUPPORTED', `Decoded to ${raw.info.channels} channels, expected RGB.`);
  }
  return {
    width: raw.info.width,
    height: raw.info.height,
    data: new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength),
    pxScale: meta.width / raw.info.width,
    source: { format: meta.format, width: meta.width, height: meta.height },
    conversions,
  };
}
