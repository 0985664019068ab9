/**
 * Camera specs, as written in config and on the command line:
 *   synthetic | synthetic:SEED | folder:DIR | v4l2:/dev/videoN | gst:SENSOR_ID | gst:PIPELINE
 */
import { readdir } from 'node:fs/promises';
import { CameraError } from './errors.ts';
import { FolderReplayCamera } from './folder-replay.ts';
import { GstreamerCamera } from './gstreamer.ts';
import { SyntheticCamera, type SyntheticOptions } from './synthetic.ts';
import type { Camera } from './types.ts';
import { V4l2Camera } from './v4l2.ts';

export type CameraSpec =
  | { kind: 'synthetic'; seed?: number }
  | { kind: 'folder'; dir: string }
  | { kind: 'v4l2'; device: string }
  | { kind: 'gst'; sensorId: number }
  | { kind: 'gst'; pipeline: string };

export interface CameraOptions {
  /** Calibrated mm per capture pixel (the synthetic camera renders at it). */
  mmPerPx?: number;
  width?: number;
  height?: number;
  synthetic?: Partial<SyntheticOptions>;
}

const USAGE = 'use synthetic, synthetic:SEED, folder:DIR, v4l2:/dev/videoN or gst:SENSOR_ID|PIPELINE';

export function parseCameraSpec(spec: string): CameraSpec {
  const text = spec.trim();
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const arg = colon < 0 ? '' : text.slice(colon + 1).trim();
  switch (kind) {
    case 'synthetic':
      if (arg === '') return { kind: 'synthetic' };
      if (!/^\d+$/.test(arg)) throw new CameraError('CAMERA_SPEC_INVALID', `camera "${spec}": the synthetic seed must be a whole number; ${USAGE}.`);
      return { kind: 'synthetic', seed: Number(arg) };
    case 'folder':
      if (arg === '') throw new CameraError('CAMERA_SPEC_INVALID', `camera "${spec}": folder needs a directory, e.g. folder:/var/lib/loupe/replay.`);
      return { kind: 'folder', dir: arg };
    case 'v4l2':
      if (!/^\/(.*\/)?video\d+$/.test(arg)) throw new CameraError('CAMERA_SPEC_INVALID', `camera "${spec}": v4l2 needs a device like /dev/video0.`);
      return { kind: 'v4l2', device: arg };
    case 'gst':
      if (arg === '') throw new CameraError('CAMERA_SPEC_INVALID', `camera "${spec}": gst needs a sensor id (gst:0) or a pipeline.`);
      return /^\d+$/.test(arg) ? { kind: 'gst', sensorId: Number(arg) } : { kind: 'gst', pipeline: arg };
    default:
      throw new CameraError('CAMERA_SPEC_INVALID', `camera "${spec}" is not a camera Loupe knows; ${USAGE}.`);
  }
}

/** Builds (does not start) the camera a spec names. */
export function createCamera(spec: string, options: CameraOptions = {}): Camera {
  const parsed = parseCameraSpec(spec);
  const size = { ...(options.width ? { width: options.width } : {}), ...(options.height ? { height: options.height } : {}) };
  switch (parsed.kind) {
    case 'synthetic':
      return new SyntheticCamera({
        ...size,
        ...(options.mmPerPx ? { mmPerPx: options.mmPerPx } : {}),
        ...(parsed.seed !== undefined ? { seed: parsed.seed } : {}),
        ...options.synthetic,
      });
    case 'folder':
      return new FolderReplayCamera(parsed.dir);
    case 'v4l2':
      return new V4l2Camera({ device: parsed.device, ...size });
    case 'gst':
      return 'pipeline' in parsed ? new GstreamerCamera({ pipeline: parsed.pipeline, ...size }) : new GstreamerCamera({ sensorId: parsed.sensorId, ...size });
  }
}

/** "v4l2:/dev/videoN" for the lowest-numbered video device, else "synthetic". */
export async function detectCamera(devDir = '/dev'): Promise<string> {
  let names: string[] = [];
  try {
    names = await readdir(devDir);
  } catch {
    return 'synthetic';
  }
  const videos = names
    .map((n) => /^video(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  return videos.length > 0 ? `v4l2:${devDir}/video${videos[0]}` : 'synthetic';
}
