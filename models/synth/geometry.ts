/**
 * The round brilliant as a convex polyhedron: the intersection of its facet half-spaces and
 * the girdle cylinder. Built from proportions; carat is measured from the mesh volume.
 */

export interface Proportions {
  diameterMm: number;
  tablePct: number; // table diameter, % of girdle diameter
  crownAngleDeg: number;
  pavilionAngleDeg: number;
  girdlePct: number; // girdle thickness at the bezel/pavilion-main points, % of diameter
  starPct: number; // star facet length, % of the way from table edge to girdle
  lowerHalfPct: number; // lower girdle facet length, % of the way from girdle to culet
  culetPct: number; // culet facet diameter, % of diameter (0 = pointed, 57 facets)
}

export const STANDARD_PROPORTIONS: Proportions = {
  diameterMm: 6.5,
  tablePct: 57,
  crownAngleDeg: 34.5,
  pavilionAngleDeg: 40.8,
  girdlePct: 3,
  starPct: 50,
  lowerHalfPct: 77,
  culetPct: 0,
};

export type FacetKind = 'table' | 'bezel' | 'star' | 'upper-girdle' | 'pavilion-main' | 'lower-girdle' | 'culet';

export interface Facet {
  kind: FacetKind;
  /** Outward unit normal and offset: inside is n·x <= d. */
  normal: [number, number, number];
  d: number;
  /** Points that define the facet (its corners, some on the girdle cylinder). */
  corners: [number, number, number][];
}

export interface StoneMesh {
  proportions: Proportions;
  facets: Facet[];
  /** Flat [nx, ny, nz, d] per facet for the tracer's hot loop. */
  planes: Float64Array;
  radiusMm: number;
  tableZ: number;
  culetZ: number;
  girdleHalfMm: number;
  totalDepthMm: number;
  totalDepthPct: number;
  crownHeightPct: number;
  pavilionDepthPct: number;
}

const DEG = Math.PI / 180;
type P3 = [number, number, number];

function sub(a: P3, b: P3): P3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}
function cross(a: P3, b: P3): P3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
function dot(a: P3, b: P3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

/** Plane through three points, normal oriented away from the origin (the stone's centre). */
function planeThrough(kind: FacetKind, a: P3, b: P3, c: P3, corners: P3[]): Facet {
  let n = cross(sub(b, a), sub(c, a));
  const len = Math.hypot(n[0], n[1], n[2]);
  n = [n[0] / len, n[1] / len, n[2] / len];
  let d = dot(n, a);
  if (d < 0) {
    n = [-n[0], -n[1], -n[2]];
    d = -d;
  }
  return { kind, normal: n, d, corners };
}

function planeWithNormal(kind: FacetKind, n: P3, through: P3, corners: P3[]): Facet {
  return { kind, normal: n, d: dot(n, through), corners };
}

export function buildMesh(p: Proportions): StoneMesh {
  const R = p.diameterMm / 2;
  const gh = ((p.girdlePct / 100) * p.diameterMm) / 2;
  const rt = ((p.tablePct / 100) * p.diameterMm) / 2;
  const ca = p.crownAngleDeg * DEG;
  const pa = p.pavilionAngleDeg * DEG;
  const half = Math.PI / 8;
  const tableZ = gh + (R - rt) * Math.tan(ca);
  const apexZ = -gh - R * Math.tan(pa);
  const facets: Facet[] = [];
  const az = (k: number): number => (k * Math.PI) / 4;
  const at = (r: number, phi: number, z: number): P3 => [r * Math.cos(phi), r * Math.sin(phi), z];

  const tableVertices = Array.from({ length: 8 }, (_, k) => at(rt, az(k), tableZ));
  facets.push(planeWithNormal('table', [0, 0, 1], [0, 0, tableZ], tableVertices));

  // Crown. Bezels sit at the table's vertices; stars and upper girdles fill between them.
  const rStarEdge = rt * Math.cos(half);
  const rStar = rStarEdge + (p.starPct / 100) * (R - rStarEdge);
  const starZ = gh + (R - rStar * Math.cos(half)) * Math.tan(ca);
  for (let k = 0; k < 8; k++) {
    const phi = az(k);
    const girdlePoint = at(R, phi, gh);
    const n: P3 = [Math.sin(ca) * Math.cos(phi), Math.sin(ca) * Math.sin(phi), Math.cos(ca)];
    const starLeft = at(rStar, phi - half, starZ);
    const starRight = at(rStar, phi + half, starZ);
    facets.push(planeWithNormal('bezel', n, girdlePoint, [tableVertices[k], starRight, girdlePoint, starLeft]));
  }
  for (let k = 0; k < 8; k++) {
    const psi = az(k) + half;
    const tip = at(rStar, psi, starZ);
    const a = tableVertices[k];
    const b = tableVertices[(k + 1) % 8];
    facets.push(planeThrough('star', a, b, tip, [a, b, tip]));
    const between = at(R, psi, gh);
    const g0 = at(R, az(k), gh);
    const g1 = at(R, az(k + 1), gh);
    facets.push(planeThrough('upper-girdle', tip, g0, between, [tip, g0, between]));
    facets.push(planeThrough('upper-girdle', tip, g1, between, [tip, between, g1]));
  }

  // Pavilion. Mains under the bezels; lower girdles between them.
  const rLower = (1 - p.lowerHalfPct / 100) * R;
  const lowerZ = -gh - (R - rLower * Math.cos(half)) * Math.tan(pa);
  for (let k = 0; k < 8; k++) {
    const phi = az(k);
    const girdlePoint = at(R, phi, -gh);
    const n: P3 = [Math.sin(pa) * Math.cos(phi), Math.sin(pa) * Math.sin(phi), -Math.cos(pa)];
    facets.push(planeWithNormal('pavilion-main', n, girdlePoint, [girdlePoint, at(rLower, phi + half, lowerZ), [0, 0, apexZ], at(rLower, phi - half, lowerZ)]));
  }
  for (let k = 0; k < 8; k++) {
    const psi = az(k) + half;
    const tip = at(rLower, psi, lowerZ);
    const between = at(R, psi, -gh);
    const g0 = at(R, az(k), -gh);
    const g1 = at(R, az(k + 1), -gh);
    facets.push(planeThrough('lower-girdle', tip, g0, between, [tip, g0, between]));
    facets.push(planeThrough('lower-girdle', tip, g1, between, [tip, between, g1]));
  }

  let culetZ = apexZ;
  if (p.culetPct > 0) {
    const rc = ((p.culetPct / 100) * p.diameterMm) / 2;
    culetZ = apexZ + rc * Math.tan(pa);
    const corners = Array.from({ length: 8 }, (_, k) => at(rc, az(k), culetZ));
    facets.push(planeWithNormal('culet', [0, 0, -1], [0, 0, culetZ], corners));
  }

  const planes = new Float64Array(facets.length * 4);
  facets.forEach((f, i) => {
    planes.set([f.normal[0], f.normal[1], f.normal[2], f.d], i * 4);
  });
  const totalDepthMm = tableZ - culetZ;
  return {
    proportions: p,
    facets,
    planes,
    radiusMm: R,
    tableZ,
    culetZ,
    girdleHalfMm: gh,
    totalDepthMm,
    totalDepthPct: (totalDepthMm / p.diameterMm) * 100,
    crownHeightPct: ((tableZ - gh) / p.diameterMm) * 100,
    pavilionDepthPct: ((-gh - culetZ) / p.diameterMm) * 100,
  };
}

/** Is the point inside every facet half-space and the girdle cylinder (within eps mm)? */
export function containsPoint(mesh: StoneMesh, x: number, y: number, z: number, eps = 1e-9): boolean {
  if (x * x + y * y > (mesh.radiusMm + eps) ** 2) return false;
  const pl = mesh.planes;
  for (let i = 0; i < pl.length; i += 4) {
    if (pl[i] * x + pl[i + 1] * y + pl[i + 2] * z > pl[i + 3] + eps) return false;
  }
  return true;
}

/**
 * Volume by integrating the vertical chord length over a fine grid of cell centres
 * (midpoint rule in x and y, exact in z because the body is convex).
 */
export function meshVolumeMm3(mesh: StoneMesh, cells = 500): number {
  const R = mesh.radiusMm;
  const h = (2 * R) / cells;
  const pl = mesh.planes;
  let volume = 0;
  for (let i = 0; i < cells; i++) {
    const x = -R + (i + 0.5) * h;
    for (let j = 0; j < cells; j++) {
      const y = -R + (j + 0.5) * h;
      if (x * x + y * y > R * R) continue;
      let lo = -Infinity;
      let hi = Infinity;
      for (let k = 0; k < pl.length; k += 4) {
        const nz = pl[k + 2];
        const rest = pl[k + 3] - pl[k] * x - pl[k + 1] * y;
        if (nz > 1e-12) hi = Math.min(hi, rest / nz);
        else if (nz < -1e-12) lo = Math.max(lo, rest / nz);
        else if (rest < 0) {
          hi = -Infinity;
          break;
        }
      }
      if (hi > lo) volume += (hi - lo) * h * h;
    }
  }
  return volume;
}

export const DIAMOND_DENSITY_G_PER_CM3 = 3.52;

export function meshCarat(mesh: StoneMesh, cells = 500): number {
  const grams = (meshVolumeMm3(mesh, cells) / 1000) * DIAMOND_DENSITY_G_PER_CM3;
  return grams / 0.2;
}

/** The trade estimate for a round brilliant: ct ≈ D² × depth × 0.0061 (mm). */
export function tradeFormulaCarat(diameterMm: number, depthMm: number): number {
  return diameterMm * diameterMm * depthMm * 0.0061;
}

/** Diameter that gives the wanted carat at these proportions (carat scales with D³). */
export function diameterForCarat(p: Omit<Proportions, 'diameterMm'>, carat: number): number {
  const unit = meshCarat(buildMesh({ ...p, diameterMm: 1 }), 120);
  return Math.cbrt(carat / unit);
}
