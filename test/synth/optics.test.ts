import { describe, expect, it } from 'vitest';
import { DIAMOND_N, criticalAngleDeg, fresnel, reflectance, refract, type Vec3 } from '../../models/synth/optics.ts';

const DEG = Math.PI / 180;

describe('Fresnel at a diamond interface', () => {
  it('reflectance plus transmittance is 1 for both polarisations, entering and leaving', () => {
    for (const [n1, n2] of [[1, DIAMOND_N], [DIAMOND_N, 1]]) {
      const maxAngle = n1 > n2 ? 24 : 89;
      for (let angle = 0; angle <= maxAngle; angle += 1) {
        const f = fresnel(Math.cos(angle * DEG), n1, n2);
        expect(f.rs + f.ts).toBeCloseTo(1, 10);
        expect(f.rp + f.tp).toBeCloseTo(1, 10);
        expect(f.reflectance + f.transmittance).toBeCloseTo(1, 10);
      }
    }
  });

  it('gives the textbook 17 % reflectance at normal incidence on diamond', () => {
    // ((n - 1) / (n + 1))² = 0.1718 for n = 2.417
    expect(fresnel(1, 1, DIAMOND_N).reflectance).toBeCloseTo(0.1718, 3);
  });

  it('the fast hot-loop reflectance equals the full formula', () => {
    for (let angle = 0; angle < 90; angle += 7) {
      const c = Math.cos(angle * DEG);
      expect(reflectance(c, 1, DIAMOND_N)).toBeCloseTo(fresnel(c, 1, DIAMOND_N).reflectance, 12);
      expect(reflectance(c, DIAMOND_N, 1)).toBeCloseTo(fresnel(c, DIAMOND_N, 1).reflectance, 12);
    }
  });
});

describe('total internal reflection', () => {
  it('has a critical angle of 24.4° in diamond', () => {
    expect(criticalAngleDeg(DIAMOND_N)).toBeCloseTo(24.44, 2);
  });

  it('reflects everything beyond the critical angle and transmits below it', () => {
    expect(fresnel(Math.cos(24.0 * DEG), DIAMOND_N, 1).totalInternalReflection).toBe(false);
    expect(fresnel(Math.cos(24.0 * DEG), DIAMOND_N, 1).transmittance).toBeGreaterThan(0.1);
    for (const angle of [24.5, 30, 45, 80]) {
      const f = fresnel(Math.cos(angle * DEG), DIAMOND_N, 1);
      expect(f.totalInternalReflection).toBe(true);
      expect(f.reflectance).toBe(1);
      expect(reflectance(Math.cos(angle * DEG), DIAMOND_N, 1)).toBe(1);
    }
  });

  it('refract() follows Snell below the critical angle and returns null beyond it', () => {
    const normalOut: Vec3 = [0, 0, -1]; // surface normal facing against a ray going +z
    for (const angle of [5, 15, 24]) {
      const d: Vec3 = [Math.sin(angle * DEG), 0, Math.cos(angle * DEG)];
      const t = refract(d, normalOut, DIAMOND_N / 1);
      expect(t).not.toBeNull();
      const sinT = Math.hypot(t![0], t![1]);
      expect(DIAMOND_N * Math.sin(angle * DEG)).toBeCloseTo(1 * sinT, 10);
      expect(Math.hypot(...t!)).toBeCloseTo(1, 10);
    }
    expect(refract([Math.sin(30 * DEG), 0, Math.cos(30 * DEG)], normalOut, DIAMOND_N)).toBeNull();
  });
});
