/**
 * Inclusions and the clarity table.
 *
 * GIA's scale grades what a trained grader sees at 10×: FL nothing at all; IF no inclusions,
 * only minor surface blemishes; VVS1/VVS2 minute inclusions extremely / very difficult to see;
 * VS1/VS2 minor inclusions difficult / somewhat easy to see; SI1/SI2 noticeable, easy / very
 * easy to see; I1–I3 obvious inclusions that (I2, I3) affect transparency and brilliance.
 *
 * Our camera sees far less than a 10× loupe, so the table keeps the ORDER and the REASONS
 * of that scale but sets sizes (as a fraction of the girdle diameter, so that they scale with
 * the stone like the crop the model sees) where they are visible in a 160 px image:
 * - visibility grows with size, count, contrast (dark crystals read more than white
 *   pinpoints) and position (under the table is easy to see; near the girdle is hidden by
 *   the crown facets), so each step up the scale raises one of these;
 * - IF differs from FL only by a faint surface blemish on the crown, as in GIA's definition;
 * - feathers (planar cracks) appear from SI1, where durability starts to matter;
 * - IF–VS1 were first set 20–25 % smaller; measured, their marks changed a median of only
 *   39–64 pixels of a 160 px render and the model could not find them among the facets'
 *   sparkle (models/train/NOTES.md §7), so they were raised to where they are seen, keeping
 *   the order (the load test in test/synth/clarity.test.ts);
 * - counted by a tenth of the range (25 levels) instead of any change, IF still changes a
 *   median of 1 pixel of a 176 px render, VVS1 9, VVS2 47, against VS1 157 and VS2 455
 *   (models/train/inclusion-visibility.ts). Grey VVS pinpoints (albedo 0.45) and one denser
 *   IF nick raised that to 6 / 33 / 85, but a model trained on them still lumped the top
 *   four grades together (models/train/NOTES.md §11), so the table stays as it was;
 * - I2 and I3 add clouds and several large dark crystals, which dim the whole stone.
 */
import { type StoneMesh, containsPoint } from './geometry.ts';
import type { ClarityGrade } from './grades.ts';
import type { Rng } from './rng.ts';

export type InclusionKind = 'crystal' | 'pinpoint' | 'cloud' | 'feather' | 'blemish';

export interface Inclusion {
  kind: InclusionKind;
  x: number;
  y: number;
  z: number;
  /** Sphere radius, or disc radius for a feather (mm). */
  radius: number;
  /** Disc normal (feathers only). */
  nx: number;
  ny: number;
  nz: number;
  /** Share of the light a hit removes from the path. */
  opacity: number;
  /** Share of that removed light re-emitted toward the camera (white scatter vs dark). */
  albedo: number;
}

interface Recipe {
  kind: InclusionKind;
  count: readonly [number, number];
  /** Size as a fraction of girdle diameter. */
  size: readonly [number, number];
  opacity: number;
  albedo: number;
  /** Where in the stone: radial fraction of the girdle radius. */
  zone: readonly [number, number];
}

const pin = (count: [number, number], size: [number, number], zone: [number, number], opacity = 0.75): Recipe => ({ kind: 'pinpoint', count, size, opacity, albedo: 0.95, zone });
const crystal = (count: [number, number], size: [number, number], zone: [number, number]): Recipe => ({ kind: 'crystal', count, size, opacity: 0.92, albedo: 0.06, zone });
const feather = (count: [number, number], size: [number, number], zone: [number, number]): Recipe => ({ kind: 'feather', count, size, opacity: 0.55, albedo: 0.85, zone });
const cloud = (count: [number, number], zone: [number, number]): Recipe => ({ kind: 'cloud', count, size: [0.008, 0.014], opacity: 0.5, albedo: 0.9, zone });

export const CLARITY_TABLE: Record<ClarityGrade, readonly Recipe[]> = {
  FL: [],
  IF: [{ kind: 'blemish', count: [1, 2], size: [0.015, 0.021], opacity: 0.4, albedo: 0.9, zone: [0.2, 0.7] }],
  VVS1: [pin([1, 1], [0.015, 0.019], [0.45, 0.8])],
  VVS2: [pin([2, 3], [0.015, 0.019], [0.35, 0.8])],
  VS1: [crystal([1, 1], [0.021, 0.027], [0.3, 0.75]), pin([0, 1], [0.015, 0.019], [0.3, 0.8])],
  VS2: [crystal([2, 2], [0.022, 0.028], [0.15, 0.7]), pin([1, 2], [0.015, 0.02], [0.2, 0.8])],
  SI1: [crystal([2, 3], [0.028, 0.036], [0, 0.6]), feather([1, 1], [0.05, 0.07], [0.3, 0.7])],
  SI2: [crystal([3, 4], [0.034, 0.044], [0, 0.55]), feather([1, 2], [0.07, 0.09], [0.2, 0.7])],
  I1: [crystal([4, 5], [0.045, 0.055], [0, 0.5]), feather([2, 2], [0.1, 0.13], [0.1, 0.6]), cloud([1, 1], [0, 0.5])],
  I2: [crystal([6, 7], [0.055, 0.07], [0, 0.55]), feather([2, 3], [0.13, 0.16], [0, 0.6]), cloud([2, 2], [0, 0.5])],
  I3: [crystal([9, 11], [0.065, 0.085], [0, 0.6]), feather([3, 4], [0.16, 0.2], [0, 0.6]), cloud([3, 4], [0, 0.6])],
};

const CLOUD_PINPOINTS = 14;

function pointInside(mesh: StoneMesh, rng: Rng, zone: readonly [number, number], margin: number, nearTop: boolean): [number, number, number] {
  const R = mesh.radiusMm;
  for (let attempt = 0; attempt < 200; attempt++) {
    const r = R * Math.sqrt(rng.uniform(zone[0] * zone[0], zone[1] * zone[1]));
    const phi = rng.uniform(0, 2 * Math.PI);
    const z = nearTop ? mesh.tableZ - margin * 1.2 : rng.uniform(mesh.culetZ * 0.55, mesh.tableZ * 0.9);
    const x = r * Math.cos(phi);
    const y = r * Math.sin(phi);
    if (containsPoint(mesh, x, y, z, -margin)) return [x, y, z];
  }
  return [0, 0, 0];
}

export function sampleInclusions(grade: ClarityGrade, mesh: StoneMesh, rng: Rng): Inclusion[] {
  const D = mesh.proportions.diameterMm;
  const out: Inclusion[] = [];
  for (const recipe of CLARITY_TABLE[grade]) {
    const count = rng.int(recipe.count[0], recipe.count[1] + 1);
    for (let i = 0; i < count; i++) {
      const size = rng.uniform(recipe.size[0], recipe.size[1]) * D;
      const [x, y, z] = pointInside(mesh, rng, recipe.zone, size, recipe.kind === 'blemish');
      if (recipe.kind === 'cloud') {
        const spread = 0.06 * D;
        for (let k = 0; k < CLOUD_PINPOINTS; k++) {
          out.push({ kind: 'cloud', x: x + rng.normal(0, spread), y: y + rng.normal(0, spread), z: z + rng.normal(0, spread * 0.6), radius: size * rng.uniform(0.5, 1), nx: 0, ny: 0, nz: 0, opacity: recipe.opacity, albedo: recipe.albedo });
        }
        continue;
      }
      let nx = 0;
      let ny = 0;
      let nz = 0;
      if (recipe.kind === 'feather') {
        // Cracks run at any angle; mostly steep, so that they catch light from the side.
        const theta = rng.uniform(0.3, 1.5);
        const phi = rng.uniform(0, 2 * Math.PI);
        nx = Math.sin(theta) * Math.cos(phi);
        ny = Math.sin(theta) * Math.sin(phi);
        nz = Math.cos(theta);
      }
      out.push({ kind: recipe.kind, x, y, z, radius: size, nx, ny, nz, opacity: recipe.opacity, albedo: recipe.albedo });
    }
  }
  return out;
}

export function formatInclusions(list: readonly Inclusion[]): string {
  return list.map((i) => `${i.kind}@${i.x.toFixed(3)},${i.y.toFixed(3)},${i.z.toFixed(3)},${i.radius.toFixed(3)}`).join(';');
}
