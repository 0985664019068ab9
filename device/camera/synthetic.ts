/**
 * A camera that photographs rendered stones: each stone from the market mix is rendered with
 * models/synth at the device's calibrated mm-per-pixel, feathered onto a tray-coloured frame
 * with sharp, and encoded like a camera would (JPEG by default). The same stone is returned on
 * every capture until placeNext() (or on every capture, with newStoneEachCapture).
 */
import sharp, { type OverlayOptions } from 'sharp';
import { createRng, hashSeed, renderStone, sampleStone, type RenderedStone, type StoneLabels } from '../../models/synth/index.ts';
import { CameraError } from './errors.ts';
import type { Camera, Frame } from './types.ts';

export interface SyntheticOptions {
  /** The calibration the renders are made at (mm on the tray per capture pixel). */
  mmPerPx: number;
  width: number;
  height: number;
  /** Stone n is drawn and rendered from hashSeed(seed, n): the same seed, the same stones. */
  seed: number;
  newStoneEachCapture: boolean;
  format: 'jpeg' | 'png';
  jpegQuality: number;
  /** Shift of the stone from the frame centre, capture pixels (for off-centre frames). */
  offsetPx: { x: number; y: number };
  samplesPerPixel: number;
}

export const DEFAULT_SYNTHETIC: SyntheticOptions = {
  mmPerPx: 0.025,
  width: 1280,
  height: 720,
  seed: 1,
  newStoneEachCapture: false,
  format: 'jpeg',
  jpegQuality: 92,
  offsetPx: { x: 0, y: 0 },
  samplesPerPixel: 1,
};

/** The render tile spans this many stone diameters; the stone's shadow has faded by its edge. */
export const TILE_DIAMETERS = 1.8;
/** The outer share of the tile that is blended into the flat tray. */
export const FEATHER_FRACTION = 0.18;

export interface SyntheticShot {
  /** The renderer's labels, with centre_x_px/centre_y_px moved into frame coordinates. */
  labels: StoneLabels;
  /** Packed RGB of the composed frame before encoding. */
  rgb: Uint8Array;
  trayColour: [number, number, number];
  data: Buffer;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Median colour of the tile's outermost ring of pixels: the tray the frame is filled with. */
export function tileBorderColour(tile: Pick<RenderedStone, 'rgb' | 'width' | 'height'>): [number, number, number] {
  const { width: W, height: H, rgb } = tile;
  const channels: number[][] = [[], [], []];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      if (x !== 0 && y !== 0 && x !== W - 1 && y !== H - 1) continue;
      for (let c = 0; c < 3; c++) channels[c].push(rgb[(y * W + x) * 3 + c]);
    }
  }
  return [median(channels[0]), median(channels[1]), median(channels[2])];
}

/** The tile as RGBA with alpha falling smoothly to 0 over the outer FEATHER_FRACTION. */
export function featheredTile(tile: Pick<RenderedStone, 'rgb' | 'width' | 'height'>): Buffer {
  const { width: W, height: H, rgb } = tile;
  const out = Buffer.alloc(W * H * 4);
  const ramp = Math.max(1, FEATHER_FRACTION * Math.min(W, H));
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const edge = Math.min(x + 0.5, y + 0.5, W - x - 0.5, H - y - 0.5);
      const t = Math.min(1, edge / ramp);
      const alpha = t * t * (3 - 2 * t); // smoothstep
      const i = y * W + x;
      out[i * 4] = rgb[i * 3];
      out[i * 4 + 1] = rgb[i * 3 + 1];
      out[i * 4 + 2] = rgb[i * 3 + 2];
      out[i * 4 + 3] = Math.round(alpha * 255);
    }
  }
  return out;
}

export class SyntheticCamera implements Camera {
  readonly kind = 'synthetic';
  private readonly options: SyntheticOptions;
  private stoneIndex = 0;
  private shot: SyntheticShot | undefined;
  private captures = 0;
  private started = false;

  constructor(options: Partial<SyntheticOptions> = {}) {
    this.options = { ...DEFAULT_SYNTHETIC, ...options };
  }

  async start(): Promise<void> {
    const { mmPerPx, width, height } = this.options;
    if (!(mmPerPx > 0) || !(width >= 64) || !(height >= 64)) {
      throw new CameraError('CAMERA_SPEC_INVALID', `synthetic camera needs mmPerPx > 0 and a frame of at least 64×64 (got ${mmPerPx} mm/px, ${width}×${height}).`);
    }
    this.started = true;
    this.captures = 0;
    this.shot = await this.compose(this.stoneIndex);
  }

  /** Labels of the stone now on the tray (frame coordinates). */
  get labels(): StoneLabels {
    if (!this.shot) throw new CameraError('CAMERA_NOT_STARTED', 'The synthetic camera has not been started.');
    return this.shot.labels;
  }

  /** The composed frame of the stone now on the tray, before encoding. */
  get current(): SyntheticShot {
    if (!this.shot) throw new CameraError('CAMERA_NOT_STARTED', 'The synthetic camera has not been started.');
    return this.shot;
  }

  /** Takes the stone off the tray and puts the next one on. */
  async placeNext(): Promise<StoneLabels> {
    if (!this.started) throw new CameraError('CAMERA_NOT_STARTED', 'The synthetic camera has not been started.');
    this.stoneIndex++;
    this.shot = await this.compose(this.stoneIndex);
    return this.shot.labels;
  }

  async capture(): Promise<Frame> {
    if (!this.started || !this.shot) throw new CameraError('CAMERA_NOT_STARTED', 'The synthetic camera has not been started.');
    if (this.options.newStoneEachCapture && this.captures > 0) await this.placeNext();
    this.captures++;
    return {
      data: this.shot.data,
      width: this.options.width,
      height: this.options.height,
      capturedAt: new Date().toISOString(),
      source: `synthetic:${this.options.seed}/${this.stoneIndex}`,
    };
  }

  async stop(): Promise<void> {
    this.started = false;
    this.shot = undefined;
  }

  private async compose(index: number): Promise<SyntheticShot> {
    const o = this.options;
    const seed = hashSeed(o.seed, index);
    const spec = sampleStone(createRng(seed));
    const tileSize = Math.ceil((TILE_DIAMETERS * spec.proportions.diameterMm) / o.mmPerPx / 2) * 2;
    const tile = renderStone(spec, { sizePx: tileSize, mmPerPx: o.mmPerPx, seed, samplesPerPixel: o.samplesPerPixel });
    const tray = tileBorderColour(tile);
    const left = Math.round((o.width - tileSize) / 2 + o.offsetPx.x);
    const top = Math.round((o.height - tileSize) / 2 + o.offsetPx.y);
    // Only the part of the tile inside the frame is composited.
    const x0 = Math.max(0, left);
    const y0 = Math.max(0, top);
    const x1 = Math.min(o.width, left + tileSize);
    const y1 = Math.min(o.height, top + tileSize);
    const layers: OverlayOptions[] = [];
    if (x1 > x0 && y1 > y0) {
      const overlay = await sharp(featheredTile(tile), { raw: { width: tileSize, height: tileSize, channels: 4 } })
        .extract({ left: x0 - left, top: y0 - top, width: x1 - x0, height: y1 - y0 })
        .png({ compressionLevel: 0 })
        .toBuffer();
      layers.push({ input: overlay, left: x0, top: y0 });
    }
    const raw = await sharp({ create: { width: o.width, height: o.height, channels: 3, background: { r: tray[0], g: tray[1], b: tray[2] } } })
      .composite(layers)
      .removeAlpha()
      .raw()
      .toBuffer();
    const rgb = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    const encoder = sharp(raw, { raw: { width: o.width, height: o.height, channels: 3 } });
    const data = o.format === 'png' ? await encoder.png().toBuffer() : await encoder.jpeg({ quality: o.jpegQuality, chromaSubsampling: '4:4:4' }).toBuffer();
    const labels: StoneLabels = { ...tile.labels, centre_x_px: tile.labels.centre_x_px + left, centre_y_px: tile.labels.centre_y_px + top };
    return { labels, rgb, trayColour: tray, data };
  }
}
