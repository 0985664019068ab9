/**
 * The device's optical bench: a macro camera looking straight down at a tray, inside a
 * diffuse LED light box (or under a ring light). The camera head is a dark disc above the
 * stone; its reflection in the table is part of the face-up pattern of a real stone.
 */
import type { Rng } from './rng.ts';

export type Lighting = 'lightbox' | 'ring';

export interface Bench {
  lighting: Lighting;
  cameraHeightMm: number;
  cameraHeadRadiusMm: number;
  trayAlbedo: number;
  /** Light box radiance (1 = the exposure's white point). */
  domeRadiance: number;
}

export const DEVICE_BENCH: Bench = {
  lighting: 'lightbox',
  cameraHeightMm: 80,
  cameraHeadRadiusMm: 14,
  trayAlbedo: 0.8,
  domeRadiance: 0.92,
};

export interface DustSpeck {
  x: number;
  y: number;
  radiusMm: number;
  darkness: number;
}

export function sampleDust(rng: Rng, extentMm: number): DustSpeck[] {
  const count = rng.int(0, 7);
  return Array.from({ length: count }, () => ({
    x: rng.uniform(-extentMm, extentMm),
    y: rng.uniform(-extentMm, extentMm),
    radiusMm: rng.uniform(0.01, 0.05) * extentMm * 0.15,
    darkness: rng.uniform(0.25, 0.6),
  }));
}

/**
 * Radiance arriving from the light box along an upward unit direction (dz > 0), seen from a
 * point at horizontal offset (px, py) from the optical axis.
 */
export function skyRadiance(bench: Bench, dx: number, dy: number, dz: number, px: number, py: number): number {
  // Where the ray meets the camera head's plane decides whether it sees the lens housing.
  const t = bench.cameraHeightMm / dz;
  const hx = px + dx * t;
  const hy = py + dy * t;
  if (hx * hx + hy * hy < bench.cameraHeadRadiusMm * bench.cameraHeadRadiusMm) return 0.025;
  const cosTheta = dz;
  if (bench.lighting === 'ring') {
    // A ring light between 25° and 50° from vertical; the box walls are dim.
    return cosTheta < 0.906 && cosTheta > 0.643 ? bench.domeRadiance * 1.15 : 0.12;
  }
  if (cosTheta < 0.26) return bench.domeRadiance * 0.45; // the box's walls near the horizon
  return bench.domeRadiance * (0.88 + 0.12 * cosTheta);
}

/** Radiance of the tray (a plane at z = trayZ) where a downward ray meets it. */
export function trayRadiance(bench: Bench, x: number, y: number, dust: readonly DustSpeck[], stoneRadius: number): number {
  let value = bench.trayAlbedo * bench.domeRadiance;
  // The stone shades the tray under it from part of the dome.
  const r2 = (x * x + y * y) / (stoneRadius * stoneRadius);
  value *= 1 - 0.25 * Math.exp(-r2 * 0.8);
  for (const speck of dust) {
    const ddx = x - speck.x;
    const ddy = y - speck.y;
    if (ddx * ddx + ddy * ddy < speck.radiusMm * speck.radiusMm) value *= 1 - speck.darkness;
  }
  return value;
}
