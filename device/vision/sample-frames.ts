/**
 * Sample frames for the vision path (its tests and `loupe bench vision`), generated with sharp
 * from real renders (models/synth via SyntheticCamera): one good frame and one of each kind of
 * bad input. Nothing is committed;
 * every fixture is rebuilt in test setup. Reusable by any area's tests:
 *
 *   const set = await makeFrameFixtures();            // ~1 s: one render at device scale
 *   set.good.bytes, set.good.labels                   // a frame the gate accepts, with truth
 *   set.bad.blurred.bytes, set.bad.blurred.expect     // 'FRAME_BLURRED'
 */
import sharp from 'sharp';
import { SyntheticCamera } from '../camera/synthetic.ts';
import { createRng, type StoneLabels } from '../../models/synth/index.ts';
import type { FrameRejectCode } from './types.ts';
import type { DecodeErrorCode } from './errors.ts';

export type ExpectedOutcome = 'OK' | FrameRejectCode | DecodeErrorCode;

export interface FrameFixture {
  name: string;
  bytes: Buffer;
  /** What decodeImage + checkFrame should say about it. */
  expect: ExpectedOutcome;
}

export interface GoodFrame extends FrameFixture {
  labels: StoneLabels;
  width: number;
  height: number;
  trayColour: [number, number, number];
}

export const BAD_FRAME_KINDS = [
  'blurred',
  'overexposed',
  'underexposed',
  'offCentre',
  'cutOff',
  'emptyTray',
  'truncatedJpeg',
  'greyscale',
  'emptyFile',
  'notAnImage',
] as const;
export type BadFrameKind = (typeof BAD_FRAME_KINDS)[number];

/** Inputs that are odd but gradeable: decodeImage converts them on purpose. */
export const CONVERTED_FRAME_KINDS = ['cmyk', 'sixteenBit', 'alpha'] as const;
export type ConvertedFrameKind = (typeof CONVERTED_FRAME_KINDS)[number];

export interface FrameFixtureSet {
  good: GoodFrame;
  bad: Record<BadFrameKind, FrameFixture>;
  converted: Record<ConvertedFrameKind, FrameFixture>;
}

export interface FixtureOptions {
  seed?: number;
  /** Device scale by default: 1280×720 at 0.025 mm/px. */
  mmPerPx?: number;
  width?: number;
  height?: number;
  /** Gaussian sigma (px) of the out-of-focus frame. */
  blurSigma?: number;
}

/** Shift the frame's content by (dx, dy), filling what is uncovered with the tray colour. */
export async function shiftFrame(rgb: Uint8Array, width: number, height: number, dx: number, dy: number, tray: readonly number[]): Promise<Buffer> {
  const background = { r: tray[0], g: tray[1], b: tray[2] };
  const pad = { left: Math.max(0, dx), right: Math.max(0, -dx), top: Math.max(0, dy), bottom: Math.max(0, -dy), background };
  const extended = await sharp(rgb, { raw: { width, height, channels: 3 } }).extend(pad).raw().toBuffer();
  return sharp(extended, { raw: { width: width + Math.abs(dx), height: height + Math.abs(dy), channels: 3 } })
    .extract({ left: Math.max(0, -dx), top: Math.max(0, -dy), width, height })
    .jpeg({ quality: 92 })
    .toBuffer();
}

/** The tray alone: its colour plus sensor-like noise (σ = 2 levels). */
export function noisyTray(width: number, height: number, tray: readonly number[], seed: number): Buffer {
  const rng = createRng(seed);
  const out = Buffer.alloc(width * height * 3);
  for (let i = 0; i < out.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(tray[i % 3] + rng.normal(0, 2))));
  return out;
}

export async function makeGoodFrame(options: FixtureOptions = {}): Promise<GoodFrame & { rgb: Uint8Array }> {
  const width = options.width ?? 1280;
  const height = options.height ?? 720;
  const camera = new SyntheticCamera({ seed: options.seed ?? 7, mmPerPx: options.mmPerPx ?? 0.025, width, height });
  await camera.start();
  const frame = await camera.capture();
  const shot = camera.current;
  await camera.stop();
  return { name: 'good', bytes: frame.data, expect: 'OK', labels: shot.labels, width, height, trayColour: shot.trayColour, rgb: shot.rgb };
}

export async function makeFrameFixtures(options: FixtureOptions = {}): Promise<FrameFixtureSet> {
  const good = await makeGoodFrame(options);
  const { width, height, rgb, trayColour: tray, labels } = good;
  const raw = () => sharp(rgb, { raw: { width, height, channels: 3 } });
  const radius = labels.diameter_px / 2;
  const short = Math.min(width, height);
  // Off-centre: 30 % of the short side away (the gate allows 20 %), still wholly inside.
  const offDx = Math.round(Math.min(0.3 * short, width / 2 - radius - 20));
  // Cut off: the girdle crosses the left edge by a third of the diameter.
  const cutDx = -Math.round(labels.centre_x_px - radius / 3);
  const mk = (name: string, bytes: Buffer, expect: ExpectedOutcome): FrameFixture => ({ name, bytes, expect });

  const bad: Record<BadFrameKind, FrameFixture> = {
    blurred: mk('blurred', await raw().blur(options.blurSigma ?? 3).jpeg({ quality: 92 }).toBuffer(), 'FRAME_BLURRED'),
    overexposed: mk('overexposed', await raw().linear(1.6, 0).jpeg({ quality: 92 }).toBuffer(), 'FRAME_OVEREXPOSED'),
    underexposed: mk('underexposed', await raw().linear(0.25, 0).jpeg({ quality: 92 }).toBuffer(), 'FRAME_UNDEREXPOSED'),
    offCentre: mk('offCentre', await shiftFrame(rgb, width, height, offDx, 0, tray), 'STONE_OFF_CENTRE'),
    cutOff: mk('cutOff', await shiftFrame(rgb, width, height, cutDx, 0, tray), 'STONE_CUT_OFF'),
    emptyTray: mk(
      'emptyTray',
      await sharp(noisyTray(width, height, tray, options.seed ?? 7), { raw: { width, height, channels: 3 } }).jpeg({ quality: 92 }).toBuffer(),
      'STONE_NOT_FOUND',
    ),
    truncatedJpeg: mk('truncatedJpeg', good.bytes.subarray(0, Math.floor(good.bytes.length * 0.6)), 'IMAGE_TRUNCATED'),
    greyscale: mk('greyscale', await raw().toColourspace('b-w').png().toBuffer(), 'IMAGE_GREYSCALE'),
    emptyFile: mk('emptyFile', Buffer.alloc(0), 'IMAGE_EMPTY'),
    notAnImage: mk('notAnImage', Buffer.from('this is a grading report, not a picture\n'), 'IMAGE_UNSUPPORTED'),
  };

  // Alpha: opaque over the stone, transparent black round the edge: flattening onto the tray
  // must bring the tray back, or the border reads black and the frame fails as underexposed.
  const alphaMask = Buffer.alloc(width * height);
  const cx = labels.centre_x_px;
  const cy = labels.centre_y_px;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) alphaMask[y * width + x] = Math.hypot(x + 0.5 - cx, y + 0.5 - cy) < radius * 1.6 ? 255 : 0;
  const rgba = Buffer.alloc(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const opaque = alphaMask[i] === 255;
    rgba[i * 4] = opaque ? rgb[i * 3] : 0;
    rgba[i * 4 + 1] = opaque ? rgb[i * 3 + 1] : 0;
    rgba[i * 4 + 2] = opaque ? rgb[i * 3 + 2] : 0;
    rgba[i * 4 + 3] = alphaMask[i];
  }
  const converted: Record<ConvertedFrameKind, FrameFixture> = {
    cmyk: mk('cmyk', await raw().toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer(), 'OK'),
    sixteenBit: mk('sixteenBit', await raw().toColourspace('rgb16').png().toBuffer(), 'OK'),
    alpha: mk('alpha', await sharp(rgba, { raw: { width, height, channels: 4 } }).png().toBuffer(), 'OK'),
  };
  return { good, bad, converted };
}

/** A real 20000×20000 PNG of one colour: 400 MP decoded, about 1.2 MB on disk. Takes ~5 s. */
export function makeHugeImage(side = 20000): Promise<Buffer> {
  return sharp({ create: { width: side, height: side, channels: 3, background: { r: 214, g: 214, b: 213 } }, limitInputPixels: false })
    .png({ compressionLevel: 9 })
    .toBuffer();
}
