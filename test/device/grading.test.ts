import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decideGrade, gradeHead, softmax } from '../../device/grading/calibrate.ts';
import { estimateCarat, IDEAL_DEPTH_PCT } from '../../device/grading/carat.ts';
import { buildUnsignedRecord, destandardise, type GradingSpec } from '../../device/grading/build-record.ts';
import { canonicalJson } from '../../device/grading/canonical-json.ts';
import { signRecord, verifyRecord } from '../../device/grading/signature.ts';
import { CLARITY_GRADES, COLOUR_GRADES, CUT_GRADES } from '../../device/grading/scales.ts';
import { gradeRecordV1Schema } from '../../device/grading/record.ts';

describe('softmax with temperature', () => {
  it('sums to one and a higher temperature flattens it', () => {
    const logits = [2, 1, 0];
    const cold = softmax(logits, 1);
    const warm = softmax(logits, 2);
    expect(cold.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
    expect(cold[0]).toBeCloseTo(Math.exp(2) / (Math.exp(2) + Math.exp(1) + 1), 12);
    expect(warm[0]).toBeLessThan(cold[0]);
    expect(warm[0]).toBeCloseTo(Math.exp(1) / (Math.exp(1) + Math.exp(0.5) + 1), 12);
  });
  it('is stable for huge logits and refuses a bad temperature', () => {
    expect(softmax([1000, 999], 1)[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(() => softmax([1, 2], 0)).toThrow(RangeError);
  });
});

describe('gradeHead', () => {
  const head = { labels: ['A', 'B', 'C'], temperature: 1, abstainBelow: 0.5 };
  it('gives the top label when confident', () => {
    const g = gradeHead([0, 4, 0], head);
    expect(g).toMatchObject({ grade: 'B', top: 'B' });
    expect(g.confidence).toBeGreaterThan(0.9);
  });
  it('refers below the threshold but keeps top', () => {
    const g = gradeHead([0.1, 0.2, 0], head);
    expect(g.grade).toBe('refer');
    expect(g.top).toBe('B');
    expect(g.confidence).toBeLessThan(0.5);
  });
  it('the temperature can push a grade into refer', () => {
    expect(gradeHead([0, 1, 0], { ...head, temperature: 0.5 }).grade).toBe('B');
    expect(gradeHead([0, 1, 0], { ...head, temperature: 3 }).grade).toBe('refer');
  });
  it('refuses logits of the wrong length', () => {
    expect(() => gradeHead([1, 2], head)).toThrow(/3 labels but 2 logits/);
  });
});

describe('decideGrade (the within-one weight)', () => {
  // FL, IF, VVS1 and VVS2 alike, as at 176 px: the most probable grade is VVS2, but VVS1 is within one of more.
  const lumped = [0.03, 0.16, 0.34, 0.47, 0, 0, 0, 0, 0, 0, 0];
  it('is the argmax at weight 0', () => {
    expect(decideGrade(lumped, 0)).toBe(3);
    expect(decideGrade([0.2, 0.5, 0.3], 0)).toBe(1);
  });
  it('answers the middle of a run of look-alike grades at weight 1', () => {
    // VVS2: 0.47 + (0.34 + 0.47) = 1.28; VVS1: 0.34 + (0.16 + 0.34 + 0.47) = 1.31.
    expect(decideGrade(lumped, 1)).toBe(2);
  });
  it('keeps a clear answer whatever the weight', () => {
    expect(decideGrade([0.02, 0.9, 0.08], 5)).toBe(1);
  });
  it('counts one neighbour at the ends of the scale', () => {
    expect(decideGrade([0.5, 0.3, 0.2], 100)).toBe(1); // 1.0 within one of grade 1 against 0.8 of grade 0
  });
  it('gradeHead reports the decided grade and its own probability as the confidence', () => {
    const logits = lumped.map((p) => Math.log(p + 1e-9));
    const spec = { labels: ['FL', 'IF', 'VVS1', 'VVS2', 'VS1', 'VS2', 'SI1', 'SI2', 'I1', 'I2', 'I3'], temperature: 1, abstainBelow: 0.3 };
    expect(gradeHead(logits, spec)).toMatchObject({ top: 'VVS2', grade: 'VVS2' });
    const g = gradeHead(logits, { ...spec, withinOneWeight: 1 });
    expect(g).toMatchObject({ top: 'VVS1', grade: 'VVS1' });
    expect(g.confidence).toBeCloseTo(0.34, 6);
    expect(gradeHead(logits, { ...spec, withinOneWeight: 1, abstainBelow: 0.4 }).grade).toBe('refer');
  });
});

describe('carat', () => {
  it('uses the ideal 61 % depth without a model depth: 6.5 mm ≈ 1.02 ct', () => {
    const c = estimateCarat(400, 6.5 / 400);
    expect(c.depthSource).toBe('ideal');
    expect(c.depthPct).toBe(IDEAL_DEPTH_PCT);
    expect(c.diameterMm).toBeCloseTo(6.5, 4);
    expect(c.value).toBeCloseTo(6.5 * 6.5 * (0.61 * 6.5) * 0.0061, 3);
  });
  it('uses the model depth when plausible, and says so', () => {
    const c = estimateCarat(400, 6.5 / 400, 64);
    expect(c.depthSource).toBe('model');
    expect(c.value).toBeCloseTo(6.5 * 6.5 * (0.64 * 6.5) * 0.0061, 3);
  });
  it('falls back to the ideal depth for an implausible model depth', () => {
    expect(estimateCarat(400, 0.01, 150).depthSource).toBe('ideal');
    expect(estimateCarat(400, 0.01, Number.NaN).depthSource).toBe('ideal');
  });
  it('refuses a non-positive measurement', () => {
    expect(() => estimateCarat(0, 0.01)).toThrow(RangeError);
    expect(() => estimateCarat(100, -1)).toThrow(RangeError);
  });
});

const spec: GradingSpec = {
  modelVersion: 'loupe-rb@1.2.3',
  heads: {
    colour: { output: 'colour', labels: COLOUR_GRADES, temperature: 1.3, abstainBelow: 0.5 },
    clarity: { output: 'clarity', labels: CLARITY_GRADES, temperature: 1.2, abstainBelow: 0.5 },
    cut: { output: 'cut', labels: CUT_GRADES, temperature: 1.1, abstainBelow: 0.5 },
  },
  regression: { output: 'proportions', names: ['table_pct', 'crown_angle_deg', 'pavilion_angle_deg', 'total_depth_pct'], mean: [57, 34, 40.8, 61.5], std: [2, 2, 0.6, 1.5] },
};
const one = (n: number, at: number, v = 8) => Array.from({ length: n }, (_, i) => (i === at ? v : 0));
const inputs = {
  id: '01890a5d-ac96-774b-bcce-b302099a8057',
  createdAt: '2025-01-01T00:00:00.000Z',
  deviceId: 'dev-1',
  storeId: 'store-1',
  frameSha256: 'cd'.repeat(32),
  outputs: { colour: one(23, 6), clarity: one(11, 4), cut: one(5, 0, 0.2), proportions: [0, 0, 0, 1] },
  measurement: { diameterPx: 500, mmPerPx: 0.013 },
};

describe('buildUnsignedRecord', () => {
  it('grades every head, de-standardises proportions and uses the model depth for carat', () => {
    const r = buildUnsignedRecord(spec, inputs);
    expect(r.grades.colour).toMatchObject({ grade: 'J', top: 'J' });
    expect(r.grades.clarity.grade).toBe('VS1');
    expect(r.grades.cut).toMatchObject({ grade: 'refer', top: 'Excellent' });
    expect(r.grades.colour.probabilities).toHaveLength(23);
    expect(r.proportions).toEqual({ table_pct: 57, crown_angle_deg: 34, pavilion_angle_deg: 40.8, total_depth_pct: 63 });
    expect(r.carat).toMatchObject({ depthSource: 'model', depthPct: 63, diameterMm: 6.5, diameterPx: 500, mmPerPx: 0.013 });
    expect(r.modelVersion).toBe('loupe-rb@1.2.3');
  });
  it('without a proportions head uses the ideal depth and omits proportions', () => {
    const { regression: _, ...noRegression } = spec;
    const r = buildUnsignedRecord(noRegression, inputs);
    expect(r.proportions).toBeUndefined();
    expect(r.carat.depthSource).toBe('ideal');
  });
  it('refuses when a head output is missing', () => {
    expect(() => buildUnsignedRecord(spec, { ...inputs, outputs: { colour: one(23, 1) } })).toThrow(/clarity/);
  });
  it('destandardise needs all four names', () => {
    expect(destandardise({ output: 'p', names: ['table_pct'], mean: [0], std: [1] }, [1])).toBeUndefined();
  });
});

describe('canonical JSON and signatures', () => {
  it('sorts keys recursively with no whitespace and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(() => canonicalJson({ x: Number.NaN })).toThrow();
  });

  const keys = generateKeyPairSync('ed25519');
  const other = generateKeyPairSync('ed25519');
  const record = signRecord(buildUnsignedRecord(spec, inputs), { keyId: 'k1', privateKey: keys.privateKey });

  it('a signed record matches the schema and verifies with the device key', () => {
    expect(gradeRecordV1Schema.safeParse(record).success).toBe(true);
    expect(verifyRecord(record, keys.publicKey, 'k1')).toEqual({ ok: true });
    expect(verifyRecord(JSON.parse(JSON.stringify(record)), keys.publicKey.export({ type: 'spki', format: 'pem' }) as string)).toEqual({ ok: true });
  });
  it('any change to the record breaks the signature', () => {
    const tampered = structuredClone(record);
    tampered.grades.colour.grade = 'D';
    expect(verifyRecord(tampered, keys.publicKey)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    const heavier = structuredClone(record);
    heavier.carat.value += 0.01;
    expect(verifyRecord(heavier, keys.publicKey)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
  });
  it('another key, another keyId or a malformed record is refused with its code', () => {
    expect(verifyRecord(record, other.publicKey)).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID' });
    expect(verifyRecord(record, keys.publicKey, 'k2')).toMatchObject({ ok: false, code: 'SIGNATURE_KEY_MISMATCH' });
    expect(verifyRecord({ ...record, id: 'not-a-uuid' }, keys.publicKey)).toMatchObject({ ok: false, code: 'RECORD_MALFORMED', reason: expect.stringMatching(/^id:/) });
  });
});
