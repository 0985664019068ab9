/**
 * The ray tracer. Each camera ray is split at the crown into its reflection and one refracted
 * path per colour channel (dispersion). Inside the stone a path is followed deterministically:
 * at every facet the transmitted share (1 - R) leaves and picks up what the bench shows in
 * that direction, and the reflected share R (1 under total internal reflection) travels on,
 * losing light to Beer–Lambert body colour and to inclusions on the way.
 */
import type { StoneMesh } from './geometry.ts';
import type { Inclusion } from './clarity.ts';
import { reflectance } from './optics.ts';
import { type Bench, type DustSpeck, skyRadiance, trayRadiance } from './scene.ts';

export interface Pose {
  rotationRad: number;
  offsetXMm: number;
  offsetYMm: number;
}

export interface TraceSettings {
  sizePx: number;
  mmPerPx: number;
  samplesPerPixel: number;
  /**
   * Internal reflections followed per path. 12 is where the mean residual throughput of a
   * well-cut stone falls under 1/255 (see test/synth/convergence), so more bounces change no
   * 8-bit pixel value on average.
   */
  maxBounces: number;
  indices: readonly [number, number, number];
  /**
   * Sample one colour per pixel through an RGGB Bayer mosaic and demosaic it, as the
   * device's sensor does. It also cuts the tracing work to a third.
   */
  bayer: boolean;
}

export interface TraceScene {
  mesh: StoneMesh;
  inclusions: readonly Inclusion[];
  /** Beer–Lambert absorption coefficient per mm, per channel. */
  absorptionPerMm: readonly [number, number, number];
  bench: Bench;
  dust: readonly DustSpeck[];
  pose: Pose;
}

export interface TraceStats {
  stonePixels: number;
  meanResidual: number;
}

const EPS = 1e-7;
/** What a path still carrying light after maxBounces would most likely pick up. */
const RESIDUAL_RADIANCE = 0.5;
/** Below this a path can no longer move an 8-bit pixel value (1/255 ≈ 0.004). */
const MIN_THROUGHPUT = 1e-3;

export function traceImage(scene: TraceScene, settings: TraceSettings, out?: Float32Array): { rgb: Float32Array; stats: TraceStats } {
  const { mesh, inclusions, bench, dust, pose } = scene;
  const size = settings.sizePx;
  const rgb = out ?? new Float32Array(size * size * 3);
  const pl = mesh.planes;
  const planeCount = pl.length / 4;
  const R = mesh.radiusMm;
  const R2 = R * R;
  const trayZ = mesh.culetZ;
  const H = bench.cameraHeightMm;
  const cosR = Math.cos(pose.rotationRad);
  const sinR = Math.sin(pose.rotationRad);
  const spp = Math.max(1, Math.round(settings.samplesPerPixel));
  const grid = Math.ceil(Math.sqrt(spp));
  const nInc = inclusions.length;
  // Packed per inclusion: kind (1 = feather disc, 0 = sphere), x, y, z, r², nx, ny, nz, opacity, albedo, r.
  const inc = new Float64Array(nInc * 11);
  inclusions.forEach((it, q) => {
    inc.set([it.kind === 'feather' ? 1 : 0, it.x, it.y, it.z, it.radius * it.radius, it.nx, it.ny, it.nz, it.opacity, it.albedo, it.radius], q * 11);
  });
  let stonePixels = 0;
  let residualSum = 0;
  let residualCount = 0;

  // Environment seen along a stone-frame direction from a stone-frame point.
  const environment = (px: number, py: number, pz: number, dx: number, dy: number, dz: number): number => {
    const wdx = cosR * dx - sinR * dy;
    const wdy = sinR * dx + cosR * dy;
    const wpx = cosR * px - sinR * py + pose.offsetXMm;
    const wpy = sinR * px + cosR * py + pose.offsetYMm;
    if (dz > 1e-6) return skyRadiance(bench, wdx, wdy, dz, wpx, wpy);
    if (dz > -1e-6) return bench.domeRadiance * 0.45;
    const t = (trayZ - pz) / dz;
    return trayRadiance(bench, wpx + wdx * t, wpy + wdy * t, dust, R);
  };

  const traceInside = (ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, weight: number, n: number, alpha: number): number => {
    let radiance = 0;
    let thr = weight;
    for (let bounce = 0; bounce <= settings.maxBounces; bounce++) {
      // Exit point: nearest plane (or the girdle cylinder) the ray is heading out of.
      let tExit = Infinity;
      let hit = -1;
      for (let k = 0; k < planeCount; k++) {
        const b = k * 4;
        const denom = pl[b] * dx + pl[b + 1] * dy + pl[b + 2] * dz;
        if (denom > 1e-12) {
          const t = (pl[b + 3] - (pl[b] * ox + pl[b + 1] * oy + pl[b + 2] * oz)) / denom;
          if (t > EPS && t < tExit) {
            tExit = t;
            hit = k;
          }
        }
      }
      const a2 = dx * dx + dy * dy;
      if (a2 > 1e-12) {
        const bq = ox * dx + oy * dy;
        const disc = bq * bq - a2 * (ox * ox + oy * oy - R2);
        if (disc > 0) {
          const t = (-bq + Math.sqrt(disc)) / a2;
          if (t > EPS && t < tExit) {
            tExit = t;
            hit = -2;
          }
        }
      }
      if (hit === -1 || !Number.isFinite(tExit)) break;

      // Inclusions met along the way scatter or block part of the light.
      let travelled = 0;
      if (nInc > 0) {
        for (;;) {
          let tInc = tExit;
          let which = -1;
          for (let q = 0; q < nInc; q++) {
            const b = q * 11;
            const cx = inc[b + 1] - ox;
            const cy = inc[b + 2] - oy;
            const cz = inc[b + 3] - oz;
            if (inc[b] === 1) {
              const dn = dx * inc[b + 5] + dy * inc[b + 6] + dz * inc[b + 7];
              if (dn > -1e-9 && dn < 1e-9) continue;
              const t = (cx * inc[b + 5] + cy * inc[b + 6] + cz * inc[b + 7]) / dn;
              if (t <= travelled + EPS || t >= tInc) continue;
              const hx = dx * t - cx;
              const hy = dy * t - cy;
              const hz = dz * t - cz;
              if (hx * hx + hy * hy + hz * hz < inc[b + 4]) {
                tInc = t;
                which = b;
              }
            } else {
              const bb = cx * dx + cy * dy + cz * dz;
              if (bb < travelled) continue;
              const d2 = cx * cx + cy * cy + cz * cz - bb * bb;
              if (d2 >= inc[b + 4]) continue;
              const t = bb - Math.sqrt(inc[b + 4] - d2);
              if (t > travelled + EPS && t < tInc) {
                tInc = t;
                which = b;
              }
            }
          }
          if (which < 0) break;
          thr *= Math.exp(-alpha * (tInc - travelled));
          radiance += thr * inc[which + 8] * inc[which + 9];
          thr *= 1 - inc[which + 8];
          travelled = tInc;
        }
      }
      thr *= Math.exp(-alpha * (tExit - travelled));
      const px = ox + dx * tExit;
      const py = oy + dy * tExit;
      const pz = oz + dz * tExit;
      let nx: number;
      let ny: number;
      let nz: number;
      if (hit === -2) {
        nx = px / R;
        ny = py / R;
        nz = 0;
      } else {
        const b = hit * 4;
        nx = pl[b];
        ny = pl[b + 1];
        nz = pl[b + 2];
      }
      const cosI = dx * nx + dy * ny + dz * nz;
      const refl = reflectance(cosI, n, 1);
      if (refl < 1) {
        // Refract out: eta = n / 1, surface normal faces along the ray here.
        const eta = n;
        const sin2T = eta * eta * (1 - cosI * cosI);
        const cosT = Math.sqrt(1 - sin2T);
        const kk = eta * cosI - cosT;
        const tx = eta * dx - kk * nx;
        const ty = eta * dy - kk * ny;
        const tz = eta * dz - kk * nz;
        radiance += thr * (1 - refl) * environment(px, py, pz, tx, ty, tz);
      }
      thr *= refl;
      const k2 = 2 * cosI;
      dx -= k2 * nx;
      dy -= k2 * ny;
      dz -= k2 * nz;
      ox = px;
      oy = py;
      oz = pz;
      if (thr < MIN_THROUGHPUT) break;
    }
    residualSum += thr;
    residualCount++;
    return radiance + thr * RESIDUAL_RADIANCE;
  };

  const sample = [0, 0, 0];
  const half = size / 2;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let r = 0;
      let g = 0;
      let bl = 0;
      let onStone = false;
      const channel = settings.bayer ? bayerChannel(i, j) : -1;
      for (let s = 0; s < spp; s++) {
        const jx = spp === 1 ? 0.5 : ((s % grid) + 0.5) / grid;
        const jy = spp === 1 ? 0.5 : (Math.floor(s / grid) + 0.5) / grid;
        const wx = (i + jx - half) * settings.mmPerPx;
        const wy = -(j + jy - half) * settings.mmPerPx;
        // Camera ray from (0, 0, H) through (wx, wy, 0), into the stone's frame.
        let dx = wx;
        let dy = wy;
        let dz = -H;
        const inv = 1 / Math.sqrt(dx * dx + dy * dy + dz * dz);
        dx *= inv;
        dy *= inv;
        dz *= inv;
        const rx = -pose.offsetXMm;
        const ry = -pose.offsetYMm;
        const ox = cosR * rx + sinR * ry;
        const oy = -sinR * rx + cosR * ry;
        const oz = H;
        const sdx = cosR * dx + sinR * dy;
        const sdy = -sinR * dx + cosR * dy;
        dx = sdx;
        dy = sdy;
        if (traceCamera(ox, oy, oz, dx, dy, dz, sample, channel)) onStone = true;
        r += sample[0];
        g += sample[1];
        bl += sample[2];
      }
      if (onStone) stonePixels++;
      const o = (j * size + i) * 3;
      rgb[o] = r / spp;
      rgb[o + 1] = g / spp;
      rgb[o + 2] = bl / spp;
    }
  }

  /** Traces one camera ray into outSample (linear RGB); true when it met the stone. */
  function traceCamera(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, outSample: number[], channel: number): boolean {
    // Entry: slab test against every facet and the cylinder.
    let tIn = -Infinity;
    let tOut = Infinity;
    let entry = -1;
    const a2 = dx * dx + dy * dy;
    const bq = ox * dx + oy * dy;
    const disc = bq * bq - a2 * (ox * ox + oy * oy - R2);
    if (a2 > 1e-12) {
      if (disc <= 0) return miss(outSample);
      const sq = Math.sqrt(disc);
      tIn = (-bq - sq) / a2;
      tOut = (-bq + sq) / a2;
      entry = -2;
    } else if (ox * ox + oy * oy > R2) return miss(outSample);
    for (let k = 0; k < planeCount && tIn <= tOut; k++) {
      const b = k * 4;
      const denom = pl[b] * dx + pl[b + 1] * dy + pl[b + 2] * dz;
      const dist = pl[b + 3] - (pl[b] * ox + pl[b + 1] * oy + pl[b + 2] * oz);
      if (denom < -1e-12) {
        const t = dist / denom;
        if (t > tIn) {
          tIn = t;
          entry = k;
        }
      } else if (denom > 1e-12) {
        const t = dist / denom;
        if (t < tOut) tOut = t;
      } else if (dist < 0) return miss(outSample);
    }
    if (tIn > tOut || tIn < 0) return miss(outSample);
    const px = ox + dx * tIn;
    const py = oy + dy * tIn;
    const pz = oz + dz * tIn;
    let nx: number;
    let ny: number;
    let nz: number;
    if (entry === -2) {
      nx = px / R;
      ny = py / R;
      nz = 0;
    } else {
      const b = entry * 4;
      nx = pl[b];
      ny = pl[b + 1];
      nz = pl[b + 2];
    }
    const cosI = -(dx * nx + dy * ny + dz * nz);
    const k2 = 2 * -cosI;
    const reflected = environment(px, py, pz, dx - k2 * nx, dy - k2 * ny, dz - k2 * nz);
    for (let c = 0; c < 3; c++) {
      if (channel >= 0 && c !== channel) {
        outSample[c] = 0;
        continue;
      }
      const n = settings.indices[c];
      const r0 = reflectance(cosI, 1, n);
      const eta = 1 / n;
      const sin2T = eta * eta * (1 - cosI * cosI);
      const cosT = Math.sqrt(1 - sin2T);
      const kk = eta * cosI - cosT;
      const inside = traceInside(px, py, pz, eta * dx + kk * nx, eta * dy + kk * ny, eta * dz + kk * nz, 1 - r0, n, scene.absorptionPerMm[c]);
      outSample[c] = r0 * reflected + inside;
    }
    return true;

    function miss(target: number[]): false {
      const t = (trayZ - oz) / dz;
      const wpx = cosR * (ox + dx * t) - sinR * (oy + dy * t) + pose.offsetXMm;
      const wpy = sinR * (ox + dx * t) + cosR * (oy + dy * t) + pose.offsetYMm;
      const v = trayRadiance(bench, wpx, wpy, dust, R);
      target[0] = v;
      target[1] = v;
      target[2] = v;
      return false;
    }
  }

  if (settings.bayer) demosaicBilinear(rgb, size, size);
  return { rgb, stats: { stonePixels, meanResidual: residualCount ? residualSum / residualCount : 0 } };
}

/** RGGB: red on even rows and columns, blue on odd rows and columns, green elsewhere. */
export function bayerChannel(x: number, y: number): 0 | 1 | 2 {
  const evenRow = (y & 1) === 0;
  const evenCol = (x & 1) === 0;
  if (evenRow && evenCol) return 0;
  if (!evenRow && !evenCol) return 2;
  return 1;
}

/** Fill each pixel's two missing channels from the mean of its neighbours that have them. */
export function demosaicBilinear(rgb: Float32Array, width: number, height: number): void {
  const source = rgb.slice();
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const own = bayerChannel(x, y);
      for (let c = 0; c < 3; c++) {
        if (c === own) continue;
        let sum = 0;
        let count = 0;
        for (let dy = -1; dy <= 1; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= height) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx < 0 || xx >= width || bayerChannel(xx, yy) !== c) continue;
            sum += source[(yy * width + xx) * 3 + c];
            count++;
          }
        }
        rgb[(y * width + x) * 3 + c] = count ? sum / count : 0;
      }
    }
  }
}
