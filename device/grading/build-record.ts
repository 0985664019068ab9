/**
 * From the model's raw outputs to an unsigned grade record. Pure: the id, the clock and the
 * identity are passed in.
 */
import { gradeHead, type HeadSpec } from './calibrate.ts';
import { estimateCarat } from './carat.ts';
import { HEAD_NAMES, PROPORTION_NAMES, type HeadName } from './scales.ts';
import type { Proportions, UnsignedGradeRecord } from './record.ts';

export interface GradingSpec {
  modelVersion: string; // name@version
  heads: Record<HeadName, HeadSpec & { output: string }>;
  regression?: { output: string; names: readonly string[]; mean: readonly number[]; std: readonly number[] };
}

export interface RecordInputs {
  id: string;
  createdAt: string;
  deviceId: string;
  storeId: string;
  frameSha256: string;
  /** Output name → values of batch item 0. */
  outputs: Record<string, ArrayLike<number>>;
  measurement: { diameterPx: number; mmPerPx: number };
}

export function buildUnsignedRecord(spec: GradingSpec, inputs: RecordInputs): UnsignedGradeRecord {
  const grades = Object.fromEntries(
    HEAD_NAMES.map((head) => {
      const logits = inputs.outputs[spec.heads[head].output];
      if (!logits) throw new RangeError(`the model gave no output "${spec.heads[head].output}" for head ${head}`);
      return [head, gradeHead(logits, spec.heads[head])];
    }),
  ) as UnsignedGradeRecord['grades'];
  const proportions = spec.regression ? destandardise(spec.regression, inputs.outputs[spec.regression.output]) : undefined;
  const carat = estimateCarat(inputs.measurement.diameterPx, inputs.measurement.mmPerPx, proportions?.total_depth_pct);
  const record: UnsignedGradeRecord = {
    schema: 'loupe.grade/v1',
    id: inputs.id,
    deviceId: inputs.deviceId,
    storeId: inputs.storeId,
    createdAt: inputs.createdAt,
    modelVersion: spec.modelVersion,
    frameSha256: inputs.frameSha256,
    grades,
    carat,
  };
  if (proportions) record.proportions = proportions;
  return record;
}

/** value = out × std + mean, picked out by name; undefined unless all four proportions are there. */
export function destandardise(
  regression: NonNullable<GradingSpec['regression']>,
  raw: ArrayLike<number> | undefined,
): Proportions | undefined {
  if (!raw) return undefined;
  const out: Partial<Proportions> = {};
  for (const name of PROPORTION_NAMES) {
    const i = regression.names.indexOf(name);
    if (i < 0 || i >= raw.length) return undefined;
    const value = raw[i] * regression.std[i] + regression.mean[i];
    if (!Number.isFinite(value)) return undefined;
    out[name] = Math.round(value * 100) / 100;
  }
  return out as Proportions;
}
