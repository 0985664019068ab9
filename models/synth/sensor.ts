/**
 * What the camera does to the light: exposure and white-balance drift, slight defocus,
 * vignetting, shot and read noise, and the sRGB encoding to 8 bits.
 */
import type { Rng } from './rng.ts';

export interface SensorDrift {
  exposureGain: number;
  whiteBalance: [number, number, number];
  defocusSigmaPx: number;
  shotNoise: number;
  readNoise: number;
}

export function sampleSensorDrift(rng: Rng): SensorDrift {
  return {
    exposureGain: rng.uniform(0.93, 1.07),
    whiteBalance: [rng.normal(1, 0.012), 1, rng.normal(1, 0.012)],
    defocusSigmaPx: rng.uniform(0.3, 0.75),
    shotNoise: rng.uniform(0.004, 0.01),
    readNoise: rng.uniform(0.002, 0.005),
  };
}

function gaussianKernel(sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(sigma * 2.5));
  const kernel = new Float32Array(radius * 2 + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const v = Math.exp(-(i * i) / (2 * sigma * sigma));
    kernel[i + radius] = v;
    sum += v;
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] /= sum;
  return kernel;
}

/** Separable Gaussian blur of packed RGB, clamped at the edges. */
export function blurRgb(rgb: Float32Array, width: number, height: number, sigma: number): Float32Array {
  if (sigma <= 0.05) return rgb;
  const k = gaussianKernel(sigma);
  const r = (k.length - 1) / 2;
  const tmp = new Float32Array(rgb.length);
  const out = new Float32Array(rgb.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let i = -r; i <= r; i++) {
          const xx = Math.min(width - 1, Math.max(0, x + i));
          acc += k[i + r] * rgb[(y * width + xx) * 3 + c];
        }
        tmp[(y * width + x) * 3 + c] = acc;
      }
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        let acc = 0;
        for (let i = -r; i <= r; i++) {
          const yy = Math.min(height - 1, Math.max(0, y + i));
          acc += k[i + r] * tmp[(yy * width + x) * 3 + c];
        }
        out[(y * width + x) * 3 + c] = acc;
      }
    }
  }
  return out;
}

function encodeSrgb(linear: number): number {
  const v = linear <= 0 ? 0 : linear >= 1 ? 1 : linear;
  const s = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.pow(v, 1 / 2.4) - 0.055;
  return Math.round(s * 255);
}

export function exposeToSrgb8(linear: Float32Array, width: number, height: number, drift: SensorDrift, rng: Rng): Uint8Array {
  const blurred = blurRgb(linear, width, height, drift.defocusSigmaPx);
  const out = new Uint8Array(blurred.length);
  const cx = width / 2;
  const cy = height / 2;
  const norm = 1 / (cx * cx + cy * cy);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const vignette = 1 - 0.06 * ((x - cx) ** 2 + (y - cy) ** 2) * norm;
      for (let c = 0; c < 3; c++) {
        const o = (y * width + x) * 3 + c;
        const signal = blurred[o] * drift.exposureGain * drift.whiteBalance[c] * vignette;
        const sigma = drift.readNoise + drift.shotNoise * Math.sqrt(Math.max(0, signal));
        out[o] = encodeSrgb(signal + rng.normal(0, sigma));
      }
    }
  }
  return out;
}
