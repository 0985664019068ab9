/**
 * Finds the girdle: the round outline where the stone stops and the light-grey tray begins.
 * 1. mask the pixels that differ from the tray colour (estimated from the frame border);
 * 2. close small gaps, keep the largest connected blob;
 * 3. cast rays from the blob's centroid and take the outermost blob pixel on each;
 * 4. fit a circle to those boundary points, dropping outliers (bites, dust, the frame edge).
 */
import { fitCircleRobust, type Point } from './circle-fit.ts';
import { close, labelComponents, type Component, type Mask } from './mask.ts';
import { estimateTrayColour, luma } from './tray.ts';
import type { Rgb, RgbImage, StoneLocation } from './types.ts';

export interface EvidenceThresholds {
  /** Luma this much above the tray's (0–255) is stone. */
  brighter: number;
  /** Luma this much below the tray's is stone (more than the stone's shadow on the tray). */
  darker: number;
  /** A red−green or blue−green shift this large against the tray's is stone. */
  chroma: number;
}

export const DEFAULT_EVIDENCE: EvidenceThresholds = { brighter: 10, darker: 30, chroma: 12 };
/** Gaps up to 2r+1 px inside the stone's mask are closed before labelling. */
export const MASK_CLOSING_RADIUS = 2;
/** A blob smaller than this fraction of the short side (as a diameter) is dust, not a stone. */
export const MIN_STONE_DIAMETER_FRACTION = 0.04;
/** Boundary rays cast from the centroid. */
export const BOUNDARY_RAYS = 180;

export interface StoneFinding extends StoneLocation {
  /** The stone's blob reaches the frame border, or the fitted girdle runs past it. */
  cutOff: boolean;
  /** Boundary rays that agreed with the fitted circle, of BOUNDARY_RAYS. */
  inlierRays: number;
  areaPx: number;
  trayColour: Rgb;
}

export interface LocateOptions {
  trayColour?: Rgb;
  evidence?: EvidenceThresholds;
  closingRadius?: number;
}

/**
 * Stone evidence per pixel. Under the light box a stone returns the dome's light, so it reads
 * brighter than the tray; its dark facets (the camera head's reflection) read far darker; and
 * body colour and fire shift its chroma. The tray just outside the girdle is shaded a little by
 * the stone (about 12 levels darker), so "darker" needs a larger margin than "brighter".
 */
export function stoneEvidenceMask(image: RgbImage, tray: Rgb, t: EvidenceThresholds = DEFAULT_EVIDENCE): Mask {
  const { width, height, data } = image;
  const out = new Uint8Array(width * height);
  const trayLuma = luma(tray[0], tray[1], tray[2]);
  const trayRG = tray[0] - tray[1];
  const trayBG = tray[2] - tray[1];
  for (let i = 0, p = 0; i < out.length; i++, p += 3) {
    const r = data[p];
    const g = data[p + 1];
    const b = data[p + 2];
    const dl = luma(r, g, b) - trayLuma;
    const chroma = Math.max(Math.abs(r - g - trayRG), Math.abs(b - g - trayBG));
    out[i] = dl > t.brighter || -dl > t.darker || chroma > t.chroma ? 1 : 0;
  }
  return { width, height, data: out };
}

function outermostOnRay(labels: Int32Array, W: number, H: number, label: number, cx: number, cy: number, angle: number, maxR: number): { point: Point; atEdge: boolean } | null {
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  let last: Point | null = null;
  let atEdge = false;
  for (let t = 0; t <= maxR; t += 0.5) {
    const x = Math.round(cx + dx * t);
    const y = Math.round(cy + dy * t);
    if (x < 0 || y < 0 || x >= W || y >= H) break;
    if (labels[y * W + x] === label) {
      // The outline lies half a pixel beyond the last pixel centre inside the stone.
      last = { x: cx + dx * (t + 0.5), y: cy + dy * (t + 0.5) };
      atEdge = x === 0 || y === 0 || x === W - 1 || y === H - 1;
    }
  }
  return last ? { point: last, atEdge } : null;
}

export function locateStone(image: RgbImage, options: LocateOptions = {}): StoneFinding | null {
  const { width: W, height: H } = image;
  const tray = options.trayColour ?? estimateTrayColour(image);
  const mask = close(stoneEvidenceMask(image, tray, options.evidence), options.closingRadius ?? MASK_CLOSING_RADIUS);
  const { labels, components } = labelComponents(mask);
  let blob: Component | undefined;
  for (const c of components) if (!blob || c.area > blob.area) blob = c;
  const minDiameter = MIN_STONE_DIAMETER_FRACTION * Math.min(W, H);
  if (!blob || blob.area < (Math.PI / 4) * minDiameter * minDiameter) return null;

  const cx = blob.sumX / blob.area;
  const cy = blob.sumY / blob.area;
  const maxR = Math.hypot(blob.maxX - blob.minX, blob.maxY - blob.minY) + 2;
  const points: Point[] = [];
  let edgeRays = 0;
  for (let i = 0; i < BOUNDARY_RAYS; i++) {
    const hit = outermostOnRay(labels, W, H, blob.label, cx, cy, (2 * Math.PI * i) / BOUNDARY_RAYS, maxR);
    if (!hit) continue;
    if (hit.atEdge) edgeRays++;
    else points.push(hit.point);
  }
  const fit = fitCircleRobust(points);
  const touchesBorder = blob.minX === 0 || blob.minY === 0 || blob.maxX === W - 1 || blob.maxY === H - 1;
  if (!fit) {
    // Too few boundary points off the frame edge to fit: most of the stone is outside.
    if (touchesBorder) {
      const d = 2 * Math.sqrt(blob.area / Math.PI);
      return { centreX: cx + 0.5, centreY: cy + 0.5, diameterPx: d, cutOff: true, inlierRays: 0, areaPx: blob.area, trayColour: tray };
    }
    return null;
  }
  // Pixel (x, y) covers [x, x+1) × [y, y+1): its centre is at (x + 0.5, y + 0.5), the
  // renderer's label convention and Pillow's box convention.
  const fx = fit.circle.cx + 0.5;
  const fy = fit.circle.cy + 0.5;
  const r = fit.circle.r;
  const runsPast = fx - r < -0.5 || fy - r < -0.5 || fx + r > W + 0.5 || fy + r > H + 0.5;
  return {
    centreX: fx,
    centreY: fy,
    diameterPx: 2 * r,
    cutOff: touchesBorder || runsPast || edgeRays > 0,
    inlierRays: fit.inliers,
    areaPx: blob.area,
    trayColour: tray,
  };
}
