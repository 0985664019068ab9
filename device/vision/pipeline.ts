/**
 * The whole vision path for one captured frame, for the daemon and `loupe grade`:
 * decode → quality gate → crop + tensor. A refused frame comes back as { ok: false } with the
 * gate's code and message; undecodable bytes throw a VisionError (IMAGE_*).
 */
import { decodeImage } from './decode.ts';
import { inspectFrame, type GateThresholds } from './quality.ts';
import { buildInputTensor, cropStone, type InputTensor } from './tensor.ts';
import type { DecodedImage, DecodeLimits, FrameCheck, FrameMetrics, FrameRejectCode, StoneLocation, TensorInputSpec } from './types.ts';

export interface PreparedStone {
  ok: true;
  image: DecodedImage;
  /** Girdle in the decoded (working) image's pixels. */
  stone: StoneLocation;
  /** Girdle diameter in capture pixels: what mm-per-pixel calibration applies to. */
  captureDiameterPx: number;
  tensor: InputTensor;
  /** The crop the tensor was made from, packed RGB8 at input.size (e.g. for a thumbnail). */
  crop: Uint8Array;
  metrics: FrameMetrics;
}

export interface RefusedFrame {
  ok: false;
  code: FrameRejectCode;
  message: string;
  metrics: FrameMetrics;
  image: DecodedImage;
}

export interface PrepareOptions {
  decode?: Partial<DecodeLimits>;
  gate?: Partial<GateThresholds>;
}

export async function prepareFrame(bytes: Uint8Array, input: TensorInputSpec, options: PrepareOptions = {}): Promise<PreparedStone | RefusedFrame> {
  const image = await decodeImage(bytes, options.decode);
  const { check, finding } = inspectFrame(image, options.gate);
  if (!check.ok) return { ok: false, code: check.code, message: check.message, metrics: check.metrics, image };
  const tray = finding!.trayColour;
  const crop = cropStone(image, check.stone, input.size, input.crop.factor, tray);
  const tensor = buildInputTensor(image, check.stone, input, tray);
  return {
    ok: true,
    image,
    stone: check.stone,
    captureDiameterPx: check.stone.diameterPx * image.pxScale,
    tensor,
    crop,
    metrics: check.metrics,
  };
}

export type { FrameCheck };
