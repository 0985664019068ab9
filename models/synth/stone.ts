/** A stone drawn from the market mix: its proportions, colour, clarity and inclusions. */
import { type Proportions, type StoneMesh, buildMesh, diameterForCarat, meshCarat } from './geometry.ts';
import { type Inclusion, sampleInclusions } from './clarity.ts';
import { type CutInputs, cutInputs, gradeCut } from './cut.ts';
import type { ClarityGrade, ColourGrade, CutGrade } from './grades.ts';
import { PAVILION_SPREAD_BY_CUT, drawMarketRow } from './market.ts';
import type { Rng } from './rng.ts';

export interface StoneSpec {
  proportions: Proportions;
  colour: ColourGrade;
  clarity: ClarityGrade;
  cut: CutGrade;
  cutInputs: CutInputs;
  carat: number;
  inclusions: Inclusion[];
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
const DEG = Math.PI / 180;

/** Proportions that reproduce a market row's table and total depth. */
export function proportionsFromMarket(rng: Rng, tablePct: number, depthPct: number, cutName: string): Omit<Proportions, 'diameterMm'> {
  const spread = PAVILION_SPREAD_BY_CUT[cutName] ?? 1;
  const table = clamp(tablePct + rng.uniform(-0.5, 0.5), 44, 75);
  const girdle = clamp(rng.normal(3.1, 0.45 + 0.25 * spread), 0.8, 9);
  const pavilion = clamp(rng.normal(40.9, spread), 36.5, 45);
  const culet = rng.next() < 0.85 ? 0 : rng.uniform(0.5, 2.5);
  const pavilionDepth = 50 * Math.tan(pavilion * DEG) - (culet / 2) * Math.tan(pavilion * DEG);
  const crownHeight = depthPct - girdle - pavilionDepth;
  const crown = clamp(Math.atan(Math.max(0.5, crownHeight) / (50 - table / 2)) / DEG, 20, 43);
  return {
    tablePct: table,
    crownAngleDeg: crown,
    pavilionAngleDeg: pavilion,
    girdlePct: girdle,
    starPct: rng.uniform(45, 55),
    lowerHalfPct: rng.uniform(72, 82),
    culetPct: culet,
  };
}

export function specFromParts(parts: { proportions: Proportions; colour: ColourGrade; clarity: ClarityGrade }, rng: Rng): StoneSpec & { mesh: StoneMesh } {
  const mesh = buildMesh(parts.proportions);
  const inputs = cutInputs(parts.proportions, mesh.totalDepthPct);
  return {
    ...parts,
    cut: gradeCut(inputs).grade,
    cutInputs: inputs,
    carat: meshCarat(mesh, 200),
    inclusions: sampleInclusions(parts.clarity, mesh, rng),
    mesh,
  };
}

export function sampleStone(rng: Rng): StoneSpec {
  const row = drawMarketRow(rng);
  const shape = proportionsFromMarket(rng, row.tablePct, row.depthPct, row.cut);
  const diameterMm = diameterForCarat(shape, row.carat);
  const { mesh: _mesh, ...spec } = specFromParts({ proportions: { ...shape, diameterMm }, colour: row.colour, clarity: row.clarity }, rng);
  return spec;
}
