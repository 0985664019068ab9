/**
 * Scale from a reference disk: a dark disk of known diameter lying on the tray. The disk is
 * found the way the girdle is (device/vision/locate), then its edge is measured to a fraction
 * of a pixel: along 360 rays, where the brightness crosses halfway from disk to tray. Then
 * mm per capture pixel = disk mm / disk px.
 */
import { fitCircleRobust, type Point } from '../vision/circle-fit.ts';
import { VisionError } from '../vision/errors.ts';
import { locateStone } from '../vision/locate.ts';
import { luma } from '../vision/tray.ts';
import type { RgbImage } from '../vision/types.ts';

export interface DiskMeasurement {
  /** Disk centre and diameter in capture pixels (decoded pixels × pxScale). */
  centreX: number;
  centreY: number;
  diskPx: number;
  mmPerPx: number;
  /** Tray minus disk brightness, 0–255. */
  contrast: number;
  /** Edge rays that agreed with the fitted circle, of EDGE_RAYS. */
  edgeRays: number;
}

/** A disk narrower than this many capture pixels gives a scale too coarse to grade carats with. */
export const MIN_DISK_PX = 50;
/** The disk must be at least this much darker than the tray (0–255). */
export const MIN_DISK_CONTRAST = 40;
export const EDGE_RAYS = 360;
const STEP = 0.1;

/** Luma at a continuous position (pixel (i, j) centred at (i + 0.5, j + 0.5)), bilinear. */
function lumaAt(image: RgbImage, x: number, y: number): number {
  const { width: W, height: H, data } = image;
  const fx = Math.min(Math.max(x - 0.5, 0), W - 1.001);
  const fy = Math.min(Math.max(y - 0.5, 0), H - 1.001);
  const x0 = Math.floor(fx);
  const y0 = Math.floor(fy);
  const ax = fx - x0;
  const ay = fy - y0;
  const L = (xx: number, yy: number) => {
    const p = (yy * W + xx) * 3;
    return luma(data[p], data[p + 1], data[p + 2]);
  };
  return (L(x0, y0) * (1 - ax) + L(x0 + 1, y0) * ax) * (1 - ay) + (L(x0, y0 + 1) * (1 - ax) + L(x0 + 1, y0 + 1) * ax) * ay;
}

function medianLumaInRing(image: RgbImage, cx: number, cy: number, r0: number, r1: number): number {
  const values: number[] = [];
  for (let k = 0; k < 720; k++) {
    const a = (2 * Math.PI * k) / 720;
    for (let r = r0; r <= r1; r += Math.max(1, (r1 - r0) / 8)) values.push(lumaAt(image, cx + r * Math.cos(a), cy + r * Math.sin(a)));
  }
  values.sort((a, b) => a - b);
  return values[values.length >> 1];
}

export function measureDisk(image: RgbImage, diskMm: number): DiskMeasurement {
  if (!(diskMm > 0)) throw new VisionError('CALIBRATION_DISK_NOT_FOUND', `The disk diameter must be a positive number of mm, got ${diskMm}.`);
  const scale = image.pxScale ?? 1;
  const rough = locateStone(image);
  if (!rough || rough.diameterPx * scale < MIN_DISK_PX) {
    throw new VisionError('CALIBRATION_DISK_NOT_FOUND', `No reference disk found (one at least ${MIN_DISK_PX} px wide); lay the ${diskMm} mm disk flat in the middle of the empty tray and capture again.`);
  }
  if (rough.cutOff) {
    throw new VisionError('CALIBRATION_DISK_CUT_OFF', 'The reference disk runs off the edge of the picture; move it to the centre of the tray and capture again.');
  }
  const r = rough.diameterPx / 2;
  const inside = medianLumaInRing(image, rough.centreX, rough.centreY, 0, 0.6 * r);
  const tray = medianLumaInRing(image, rough.centreX, rough.centreY, 1.25 * r, 1.45 * r);
  const contrast = tray - inside;
  if (contrast < MIN_DISK_CONTRAST) {
    throw new VisionError('CALIBRATION_DISK_NOT_FOUND', `The object found is not a dark disk (only ${contrast.toFixed(0)} levels darker than the tray, need ${MIN_DISK_CONTRAST}); use the dark reference disk.`);
  }
  const mid = (inside + tray) / 2;
  const points: Point[] = [];
  for (let k = 0; k < EDGE_RAYS; k++) {
    const a = (2 * Math.PI * k) / EDGE_RAYS;
    const dx = Math.cos(a);
    const dy = Math.sin(a);
    let previous = lumaAt(image, rough.centreX + dx * 0.8 * r, rough.centreY + dy * 0.8 * r);
    let edge: number | null = null;
    for (let t = 0.8 * r + STEP; t <= 1.2 * r; t += STEP) {
      const v = lumaAt(image, rough.centreX + dx * t, rough.centreY + dy * t);
      if (previous < mid && v >= mid) edge = t - STEP + (STEP * (mid - previous)) / (v - previous);
      previous = v;
    }
    if (edge !== null) points.push({ x: rough.centreX + dx * edge, y: rough.centreY + dy * edge });
  }
  const fit = fitCircleRobust(points);
  if (!fit || fit.inliers < EDGE_RAYS / 2) {
    throw new VisionError('CALIBRATION_DISK_NOT_FOUND', 'The disk edge is not a clean circle; clean the disk and the tray, lay the disk flat and capture again.');
  }
  const diskPx = 2 * fit.circle.r * scale;
  return { centreX: fit.circle.cx * scale, centreY: fit.circle.cy * scale, diskPx, mmPerPx: diskMm / diskPx, contrast, edgeRays: fit.inliers };
}
