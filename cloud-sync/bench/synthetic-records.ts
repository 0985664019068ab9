/** Signed grade records (docs/INTERFACES.md §3) for the sync benchmark and tests, built with the real grading code. */
import { generateKeyPairSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { signRecord, type SigningKey } from '../../device/grading/signature.ts';
import type { GradeRecordV1, UnsignedGradeRecord } from '../../device/grading/record.ts';
import { COLOUR_GRADES, CLARITY_GRADES, CUT_GRADES } from '../../device/grading/scales.ts';

export function testSigningKey(): SigningKey {
  return { keyId: '0123456789abcdef', privateKey: generateKeyPairSync('ed25519').privateKey };
}

function head(labels: string[], i: number) {
  const probabilities = labels.map((_, k) => (k === i % labels.length ? 0.6 : 0.4 / (labels.length - 1)));
  return { grade: labels[i % labels.length], top: labels[i % labels.length], confidence: 0.6, probabilities };
}

export function makeRecord(opts: { storeId: string; deviceId: string; key: SigningKey; i?: number; createdAt?: Date }): GradeRecordV1 {
  const i = opts.i ?? 0;
  const unsigned: UnsignedGradeRecord = {
    schema: 'loupe.grade/v1',
    id: uuidv7(),
    deviceId: opts.deviceId,
    storeId: opts.storeId,
    createdAt: (opts.createdAt ?? new Date()).toISOString(),
    modelVersion: 'loupe-rb@1.0.0',
    frameSha256: 'ab'.repeat(32),
    grades: { colour: head(COLOUR_GRADES, i), clarity: head(CLARITY_GRADES, i), cut: head(CUT_GRADES, i) },
    carat: { value: 1.01, diameterMm: 6.5, depthPct: 61, depthSource: 'ideal', mmPerPx: 0.02, diameterPx: 325 },
  };
  return signRecord(unsigned, opts.key);
}
