import sharp from 'sharp';
import { beforeAll, describe, it, expect } from 'vitest';
import { decodeImage, shrinkFactor, MAX_DECODED_PIXELS } from '../../device/vision/decode.ts';
import { VisionError } from '../../device/vision/errors.ts';
import { makeHugeImage } from '../fixtures/bad-frames.ts';

async function refusal(bytes: Uint8Array, limits = {}): Promise<VisionError> {
  try {
    await decodeImage(bytes, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(VisionError);
    return error as VisionError;
  }
  throw new Error('decodeImage accepted the image');
}

/** A colourful 64×48 test card: a gradient in each channel. */
function testCard(width = 64, height = 48): Buffer {
  const rgb = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 3;
      rgb[p] = Math.round((x / (width - 1)) * 255);
      rgb[p + 1] = Math.round((y / (height - 1)) * 255);
      rgb[p + 2] = 128;
    }
  }
  return rgb;
}

const raw = (width = 64, height = 48) => sharp(testCard(width, height), { raw: { width, height, channels: 3 } });

describe('decodeImage refuses what cannot be graded', () => {
  let huge: Buffer;
  beforeAll(async () => {
    huge = await makeHugeImage();
  });

  it('IMAGE_EMPTY for 0 bytes', async () => {
    const e = await refusal(Buffer.alloc(0));
    expect(e.code).toBe('IMAGE_EMPTY');
    expect(e.message).toMatch(/empty/);
  });

  it('IMAGE_UNSUPPORTED for bytes that are not an image', async () => {
    const e = await refusal(Buffer.from('{"not": "an image"}'));
    expect(e.code).toBe('IMAGE_UNSUPPORTED');
    expect(e.message).toMatch(/JPEG, PNG/);
  });

  it('IMAGE_UNSUPPORTED for a format sharp reads but a camera never sends (SVG)', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" fill="red"/></svg>');
    const e = await refusal(svg);
    expect(e.code).toBe('IMAGE_UNSUPPORTED');
    expect(e.message).toMatch(/svg/);
  });

  it('IMAGE_TRUNCATED for a JPEG cut short', async () => {
    const jpeg = await raw(640, 480).jpeg().toBuffer();
    const e = await refusal(jpeg.subarray(0, Math.floor(jpeg.length * 0.5)));
    expect(e.code).toBe('IMAGE_TRUNCATED');
    expect(e.message).toMatch(/truncated/);
  });

  it('IMAGE_TRUNCATED for a PNG cut short', async () => {
    const png = await raw(640, 480).png().toBuffer();
    const e = await refusal(png.subarray(0, Math.floor(png.length * 0.5)));
    expect(e.code).toBe('IMAGE_TRUNCATED');
  });

  it('IMAGE_TOO_LARGE for a real 20000×20000 PNG (400 MP), from its header', async () => {
    expect(huge.length).toBeLessThan(4 * 1024 * 1024);
    const e = await refusal(huge);
    expect(e.code).toBe('IMAGE_TOO_LARGE');
    expect(e.message).toContain('20000×20000');
    expect(e.message).toContain(`${MAX_DECODED_PIXELS / 1e6} MP`);
  });

  it('IMAGE_TOO_LARGE honours a lower cap', async () => {
    const e = await refusal(await raw().png().toBuffer(), { maxPixels: 1000 });
    expect(e.code).toBe('IMAGE_TOO_LARGE');
  });

  it('IMAGE_GREYSCALE for a one-channel image, and for grey + alpha', async () => {
    const grey = await raw().toColourspace('b-w').png().toBuffer();
    expect((await refusal(grey)).code).toBe('IMAGE_GREYSCALE');
    const greyAlpha = await raw().toColourspace('b-w').ensureAlpha(0.5).png().toBuffer();
    expect((await sharp(greyAlpha).metadata()).channels).toBe(2);
    expect((await refusal(greyAlpha)).code).toBe('IMAGE_GREYSCALE');
  });
});

describe('decodeImage converts on purpose', () => {
  it('decodes an 8-bit sRGB PNG exactly', async () => {
    const img = await decodeImage(await raw().png().toBuffer());
    expect([img.width, img.height, img.pxScale]).toEqual([64, 48, 1]);
    expect(Buffer.from(img.data).equals(testCard())).toBe(true);
    expect(img.conversions).toEqual([]);
  });

  it('16-bit → 8-bit', async () => {
    const png16 = await raw().toColourspace('rgb16').png().toBuffer();
    expect((await sharp(png16).metadata()).depth).toBe('ushort');
    const img = await decodeImage(png16);
    expect(img.conversions).toContain('16-bit → 8-bit');
    const card = testCard();
    let worst = 0;
    for (let i = 0; i < card.length; i++) worst = Math.max(worst, Math.abs(card[i] - img.data[i]));
    expect(worst).toBeLessThanOrEqual(1);
  });

  it('CMYK → sRGB', async () => {
    const cmyk = await raw().toColourspace('cmyk').jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const img = await decodeImage(cmyk);
    expect(img.conversions).toContain('cmyk → sRGB');
    expect(img.data.length).toBe(64 * 48 * 3);
    // Red rises left to right and green top to bottom after the round trip through CMYK.
    const at = (x: number, y: number, c: number) => img.data[(y * 64 + x) * 3 + c];
    expect(at(60, 24, 0) - at(3, 24, 0)).toBeGreaterThan(150);
    expect(at(32, 44, 1) - at(32, 3, 1)).toBeGreaterThan(150);
  });

  it('alpha is flattened onto the tray colour', async () => {
    const rgba = Buffer.alloc(4 * 4 * 4);
    for (let i = 0; i < 16; i++) rgba.set(i < 8 ? [250, 10, 10, 255] : [0, 0, 0, 0], i * 4);
    const png = await sharp(rgba, { raw: { width: 4, height: 4, channels: 4 } }).png().toBuffer();
    const img = await decodeImage(png, { trayColour: [200, 190, 180] });
    expect(img.conversions).toContain('alpha flattened onto tray');
    expect(Array.from(img.data.subarray(0, 3))).toEqual([250, 10, 10]);
    expect(Array.from(img.data.subarray(15 * 3, 16 * 3))).toEqual([200, 190, 180]);
  });

  it('shrinks a 1920×1080 JPEG on load to 960×540 and reports the scale', async () => {
    const jpeg = await raw(1920, 1080).jpeg().toBuffer();
    const img = await decodeImage(jpeg);
    expect([img.width, img.height, img.pxScale]).toEqual([960, 540, 2]);
    expect(img.source).toEqual({ format: 'jpeg', width: 1920, height: 1080 });
    expect(img.conversions).toContain('shrunk 1/2 on load');
    // The gradient survives the shrink: red ≈ 255 × x / 1919 at the pixel centre 2x + 0.5.
    const red = img.data[(270 * 960 + 480) * 3];
    expect(Math.abs(red - (255 * 960.5) / 1919)).toBeLessThan(4);
  });

  it('keeps a 1280×720 frame at full size', async () => {
    const img = await decodeImage(await raw(1280, 720).jpeg().toBuffer());
    expect([img.width, img.height, img.pxScale]).toEqual([1280, 720, 1]);
  });
});

describe('shrinkFactor', () => {
  it.each([
    [1280, 720, 800, 1],
    [1920, 1080, 800, 2],
    [4000, 3000, 800, 4],
    [1600, 1200, 800, 2],
    [1599, 1200, 800, 1],
    [8000, 6000, 0, 1],
  ])('%i×%i with min side %i → 1/%i', (w, h, min, factor) => {
    expect(shrinkFactor(w, h, min)).toBe(factor);
  });
});
