/** Packed 8-bit RGB, row-major, no padding: pixel (x, y) starts at data[(y * width + x) * 3]. */
import type { ViewName } from './views.ts';
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
  /**
   * Capture pixels per pixel of this image (1 unless decodeImage shrank it on load).
   * Multiply a length measured here by pxScale to get capture pixels, which is what
   * the mm-per-pixel calibration is in.
   */
  pxScale?: number;
}

export type Rgb = readonly [number, number, number];

/** The girdle outline found in an image, in that image's pixels. */
export interface StoneLocation {
  centreX: number;
  centreY: number;
  diameterPx: number;
}

export interface DecodeLimits {
  /** Refuse images with more decoded pixels than this (checked from the header, before decoding). */
  maxPixels: number;
  /**
   * Shrink on load by the largest power of two that keeps the long side ≥ this
   * (0 = never shrink). Powers of two map onto JPEG's DCT scaling, so the shrink is
   * nearly free and exact.
   */
  workingMinSide: number;
  /** Colour an alpha channel is flattened onto. */
  trayColour: Rgb;
}

export interface DecodedImage extends RgbImage {
  pxScale: number;
  source: { format: string; width: number; height: number };
  /** What was converted on purpose, e.g. ["16-bit → 8-bit", "cmyk → sRGB", "alpha flattened onto tray"]. */
  conversions: string[];
}

/** What the quality gate measured; every number is reported whether or not the frame passed. */
export interface FrameMetrics {
  /** Fraction of frame pixels with a channel at ≥ HIGHLIGHT_CLIP_LEVEL. */
  clippedHighlights: number;
  /** Fraction of frame pixels with every channel ≤ SHADOW_CLIP_LEVEL. */
  clippedShadows: number;
  /** Median luma of the tray (frame border), 0–255. */
  trayLuma: number;
  /** Variance of the 4-neighbour Laplacian of luma inside the girdle; null when no stone. */
  focus: number | null;
  /** Distance of the girdle centre from the frame centre, as a fraction of the frame's short side. */
  offCentre: number | null;
  stone: StoneLocation | null;
}

export type FrameRejectCode =
  | 'FRAME_BLURRED'
  | 'FRAME_OVEREXPOSED'
  | 'FRAME_UNDEREXPOSED'
  | 'STONE_NOT_FOUND'
  | 'STONE_OFF_CENTRE'
  | 'STONE_CUT_OFF';

export type FrameCheck =
  | { ok: true; stone: StoneLocation; metrics: FrameMetrics }
  | { ok: false; code: FrameRejectCode; message: string; metrics: FrameMetrics };

/**
 * The part of the model manifest's `input` (docs/INTERFACES.md §2) the tensor builder needs.
 * A parsed manifest's `input` object satisfies this structurally.
 */
export interface TensorInputSpec {
  size: number;
  mean: readonly number[];
  std: readonly number[];
  scale: number;
  crop: { factor: number };
  layout?: string;
  channelOrder?: string;
  /** Test-time views run per stone and averaged (views.ts); one identity view when absent. */
  views?: readonly ViewName[];
}
