import { describe, expect, it } from 'vitest';
import { STANDARD_PROPORTIONS, buildMesh, containsPoint, meshCarat, tradeFormulaCarat } from '../../models/synth/geometry.ts';

describe('round brilliant mesh', () => {
  it('has 57 facets, 58 with a culet, in the standard families', () => {
    const pointed = buildMesh(STANDARD_PROPORTIONS);
    expect(pointed.facets).toHaveLength(57);
    const count = (kind: string) => pointed.facets.filter((f) => f.kind === kind).length;
    expect([count('table'), count('bezel'), count('star'), count('upper-girdle'), count('pavilion-main'), count('lower-girdle')]).toEqual([1, 8, 8, 16, 8, 16]);
    expect(buildMesh({ ...STANDARD_PROPORTIONS, culetPct: 1.5 }).facets).toHaveLength(58);
  });

  it('every facet is a real face of the solid: its centre lies on its plane and inside all the others', () => {
    for (const p of [STANDARD_PROPORTIONS, { ...STANDARD_PROPORTIONS, tablePct: 62, crownAngleDeg: 31, pavilionAngleDeg: 42, culetPct: 1 }]) {
      const mesh = buildMesh(p);
      for (const facet of mesh.facets) {
        const n = facet.corners.length;
        const c = facet.corners.reduce((a, q) => [a[0] + q[0] / n, a[1] + q[1] / n, a[2] + q[2] / n], [0, 0, 0]);
        expect(Math.abs(facet.normal[0] * c[0] + facet.normal[1] * c[1] + facet.normal[2] * c[2] - facet.d)).toBeLessThan(1e-9);
        expect(containsPoint(mesh, c[0], c[1], c[2], 1e-7)).toBe(true);
      }
    }
  });

  it('has the depth that its angles imply', () => {
    const mesh = buildMesh(STANDARD_PROPORTIONS);
    // crown (1 - 0.57)/2 · tan 34.5° = 14.78 %, pavilion 0.5 · tan 40.8° = 43.16 %, girdle 3 %
    expect(mesh.crownHeightPct).toBeCloseTo(14.78, 1);
    expect(mesh.pavilionDepthPct).toBeCloseTo(43.16, 1);
    expect(mesh.totalDepthPct).toBeCloseTo(60.94, 1);
  });

  it('a 6.5 mm standard round brilliant weighs about 1 ct', () => {
    expect(meshCarat(buildMesh(STANDARD_PROPORTIONS))).toBeGreaterThan(0.97);
    expect(meshCarat(buildMesh(STANDARD_PROPORTIONS))).toBeLessThan(1.06);
  });

  it('mesh carat agrees with ct ≈ D² × depth × 0.0061 within 4 % across standard proportions', () => {
    const errors: number[] = [];
    for (const tablePct of [53, 57, 61]) {
      for (const crownAngleDeg of [32, 34.5, 36]) {
        for (const pavilionAngleDeg of [40.4, 40.9, 41.6]) {
          for (const diameterMm of [4.1, 6.5, 9.3]) {
            const mesh = buildMesh({ ...STANDARD_PROPORTIONS, tablePct, crownAngleDeg, pavilionAngleDeg, diameterMm });
            const ours = meshCarat(mesh, 240);
            const trade = tradeFormulaCarat(diameterMm, mesh.totalDepthMm);
            errors.push(Math.abs(ours / trade - 1));
          }
        }
      }
    }
    expect(Math.max(...errors)).toBeLessThan(0.04);
  });
});
