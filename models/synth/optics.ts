/** Optics of a dielectric interface: Fresnel, Snell, total internal reflection, dispersion. */

/** Refractive index of diamond at the D line (589 nm). */
export const DIAMOND_N = 2.417;

/**
 * Per-channel indices for dispersion, from diamond's Sellmeier fit at the channel's dominant
 * wavelength: R ≈ 656 nm (C line) 2.410, G ≈ 550 nm 2.424, B ≈ 470 nm 2.440. The spread
 * (B - R = 0.030) is diamond's "fire" dispersion of about 0.044 between B and G lines, scaled
 * to the narrower channel spacing.
 */
export const DIAMOND_N_RGB: readonly [number, number, number] = [2.41, 2.424, 2.44];

export function criticalAngleDeg(n: number): number {
  return (Math.asin(1 / n) * 180) / Math.PI;
}

export interface FresnelParts {
  rs: number;
  rp: number;
  ts: number;
  tp: number;
  /** Unpolarised reflectance and transmittance (power). */
  reflectance: number;
  transmittance: number;
  totalInternalReflection: boolean;
}

/**
 * Power reflectance and transmittance for light going from index n1 into n2, at incidence
 * cosine cosI (> 0). Transmittance is computed from the amplitude coefficients (with the
 * n2 cosT / n1 cosI beam factor), not as 1 - R, so that R + T = 1 is a real check.
 */
export function fresnel(cosI: number, n1: number, n2: number): FresnelParts {
  const c = Math.min(1, Math.abs(cosI));
  const sinT = (n1 / n2) * Math.sqrt(Math.max(0, 1 - c * c));
  if (sinT >= 1) {
    return { rs: 1, rp: 1, ts: 0, tp: 0, reflectance: 1, transmittance: 0, totalInternalReflection: true };
  }
  const cosT = Math.sqrt(1 - sinT * sinT);
  const rsAmp = (n1 * c - n2 * cosT) / (n1 * c + n2 * cosT);
  const rpAmp = (n2 * c - n1 * cosT) / (n2 * c + n1 * cosT);
  const tsAmp = (2 * n1 * c) / (n1 * c + n2 * cosT);
  const tpAmp = (2 * n1 * c) / (n2 * c + n1 * cosT);
  const beam = (n2 * cosT) / (n1 * c);
  const rs = rsAmp * rsAmp;
  const rp = rpAmp * rpAmp;
  const ts = beam * tsAmp * tsAmp;
  const tp = beam * tpAmp * tpAmp;
  return { rs, rp, ts, tp, reflectance: (rs + rp) / 2, transmittance: (ts + tp) / 2, totalInternalReflection: false };
}

/** Fast unpolarised reflectance for the tracer's hot loop (same formula as fresnel()). */
export function reflectance(cosI: number, n1: number, n2: number): number {
  const c = cosI < 0 ? -cosI : cosI;
  const eta = n1 / n2;
  const sin2T = eta * eta * (1 - c * c);
  if (sin2T >= 1) return 1;
  const cosT = Math.sqrt(1 - sin2T);
  const rs = (n1 * c - n2 * cosT) / (n1 * c + n2 * cosT);
  const rp = (n2 * c - n1 * cosT) / (n2 * c + n1 * cosT);
  return (rs * rs + rp * rp) / 2;
}

export type Vec3 = [number, number, number];

/** Mirror direction d about unit normal n. */
export function reflect(d: Vec3, n: Vec3): Vec3 {
  const k = 2 * (d[0] * n[0] + d[1] * n[1] + d[2] * n[2]);
  return [d[0] - k * n[0], d[1] - k * n[1], d[2] - k * n[2]];
}

/**
 * Snell refraction of unit direction d through a surface with unit normal n facing against d
 * (d·n < 0), for index ratio eta = n1/n2. Returns null on total internal reflection.
 */
export function refract(d: Vec3, n: Vec3, eta: number): Vec3 | null {
  const cosI = -(d[0] * n[0] + d[1] * n[1] + d[2] * n[2]);
  const sin2T = eta * eta * (1 - cosI * cosI);
  if (sin2T > 1) return null;
  const cosT = Math.sqrt(1 - sin2T);
  const k = eta * cosI - cosT;
  return [eta * d[0] + k * n[0], eta * d[1] + k * n[1], eta * d[2] + k * n[2]];
}
