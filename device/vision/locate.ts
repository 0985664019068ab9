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
  /** A luma step this large between the two neighbours either side (x or y) is a facet edge: stone. */
  edge: number;
}

export const DEFAULT_EVIDENCE: EvidenceThresholds = { brighter: 7, darker: 30, chroma: 12, edge: 14 };
/** Gaps up to 2r+1 px inside the stone's mask are closed before labelling. */
export const MASK_CLOSING_RADIUS = 2;
/** A blob smaller than this fraction of the short side (as a diameter) is dust, not a stone. */
export const MIN_STONE_DIAMETER_FRACTION = 0.08;
/** Fragments within this fraction of the blob's size around it count as stone too. */
export const GROUP_MARGIN = 0.1;
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
/** Set where the pixel's own colour or brightness says "stone". */
export const TONE_EVIDENCE = 1;
/**
 * Set where only a steep step across the pixel does. On the outer rim such a pixel is the tray
 * pixel just outside the girdle (the step is between it and the stone), so the outline lies
 * half a pixel inside it rather than half a pixel beyond.
 */
export const EDGE_EVIDENCE = 2;

export function stoneEvidenceMask(image: RgbImage, tray: Rgb, t: EvidenceThresholds = DEFAULT_EVIDENCE): Mask {
  const { width: W, height: H, data } = image;
  const n = W * H;
  const lum = new Float32Array(n);
  for (let i = 0, p = 0; i < n; i++, p += 3) lum[i] = luma(data[p], data[p + 1], data[p + 2]);
  const out = new Uint8Array(n);
  const trayLuma = luma(tray[0], tray[1], tray[2]);
  const trayRG = tray[0] - tray[1];
  const trayBG = tray[2] - tray[1];
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = y * W + x;
      const p = i * 3;
      const dl = lum[i] - trayLuma;
      const chroma = Math.max(Math.abs(data[p] - data[p + 1] - trayRG), Math.abs(data[p + 2] - data[p + 1] - trayBG));
      const gx = x > 0 && x < W - 1 ? Math.abs(lum[i + 1] - lum[i - 1]) : 0;
      const gy = y > 0 && y < H - 1 ? Math.abs(lum[i + W] - lum[i - W]) : 0;
      out[i] = dl > t.brighter || -dl > t.darker || chroma > t.chroma ? TONE_EVIDENCE : Math.max(gx, gy) > t.edge ? EDGE_EVIDENCE : 0;
    }
  }
  return { width: W, height: H, data: out };
}

function outermostOnRay(labels: Int32Array, member: Uint8Array, evidence: Uint8Array, W: number, H: number, cx: number, cy: number, angle: number, maxR: number): { point: Point; atEdge: boolean } | null {
  const dx = Math.cos(angle);
  const dy = Math.sin(angle);
  let last: Point | null = null;
  let atEdge = false;
  for (let t = 0; t <= maxR; t += 0.5) {
    const x = Math.round(cx + dx * t);
    const y = Math.round(cy + dy * t);
    if (x < 0 || y < 0 || x >= W || y >= H) break;
    const i = y * W + x;
    if (member[labels[i]] === 1) {
      // The outline lies half a pixel beyond the last pixel centre inside the stone.
      const reach = evidence[i] === EDGE_EVIDENCE ? t - 0.5 : t + 0.5;
      last = { x: cx + dx * reach, y: cy + dy * reach };
      atEdge = x === 0 || y === 0 || x === W - 1 || y === H - 1;
    }
  }
  return last ? { point: last, atEdge } : null;
}

/**
 * The stone's blob and the fragments around it: a pale stone's rim can break into pieces
 * that touch neither each other nor the body, yet it is all stone.
 */
function groupAround(blob: Component, components: readonly Component[]): { member: Uint8Array; group: Component } {
  const member = new Uint8Array(components.length + 1);
  const margin = GROUP_MARGIN * Math.max(blob.maxX - blob.minX, blob.maxY - blob.minY);
  const group: Component = { ...blob, area: 0, sumX: 0, sumY: 0 };
  for (const c of components) {
    const overlaps = c.maxX >= blob.minX - margin && c.minX <= blob.maxX + margin && c.maxY >= blob.minY - margin && c.minY <= blob.maxY + margin;
    if (!overlaps) continue;
    member[c.label] = 1;
    group.area += c.area;
    group.sumX += c.sumX;
    group.sumY += c.sumY;
    group.minX = Math.min(group.minX, c.minX);
    group.minY = Math.min(group.minY, c.minY);
    group.maxX = Math.max(group.maxX, c.maxX);
    group.maxY = Math.max(group.maxY, c.maxY);
  }
  return { member, group };
}

export function locateStone(image: RgbImage, options: LocateOptions = {}): StoneFinding | null {
  const { width: W, height: H } = image;
  const tray = options.trayColour ?? estimateTrayColour(image);
  const evidence = stoneEvidenceMask(image, tray, options.evidence);
  const mask = close(evidence, options.closingRadius ?? MASK_CLOSING_RADIUS);
  const { labels, components } = labelComponents(mask);
  let blob: Component | undefined;
  for (const c of components) if (!blob || c.area > blob.area) blob = c;
  const minDiameter = MIN_STONE_DIAMETER_FRACTION * Math.min(W, H);
  if (!blob || blob.area < (Math.PI / 4) * minDiameter * minDiameter) return null;

  const { member, group } = groupAround(blob, components);
  const cx = group.sumX / group.area;
  const cy = group.sumY / group.area;
  const maxR = Math.hypot(group.maxX - group.minX, group.maxY - group.minY) + 2;
  const points: Point[] = [];
  let edgeRays = 0;
  for (let i = 0; i < BOUNDARY_RAYS; i++) {
    const hit = outermostOnRay(labels, member, evidence.data, W, H, cx, cy, (2 * Math.PI * i) / BOUNDARY_RAYS, maxR);
    if (!hit) continue;
    if (hit.atEdge) edgeRays++;
    else points.push(hit.point);
  }
  const fit = fitCircleRobust(points);
  const touchesBorder = group.minX === 0 || group.minY === 0 || group.maxX === W - 1 || group.maxY === H - 1;
  if (!fit) {
    // Too few boundary points off the frame edge to fit: most of the stone is outside.
    if (touchesBorder) {
      const d = 2 * Math.sqrt(group.area / Math.PI);
      return { centreX: cx + 0.5, centreY: cy + 0.5, diameterPx: d, cutOff: true, inlierRays: 0, areaPx: group.area, trayColour: tray };
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
    areaPx: group.area,
    trayColour: tray,
  };
}
