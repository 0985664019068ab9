/** Builds real signed grade records for store tests (no model needed). */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { buildUnsignedRecord, type GradingSpec } from '../../device/grading/build-record.ts';
import { CLARITY_GRADES, COLOUR_GRADES, CUT_GRADES } from '../../device/grading/scales.ts';
import { signRecord } from '../../device/grading/signature.ts';
import type { GradeRecordV1 } from '../../device/grading/record.ts';

export const testKeys = generateKeyPairSync('ed25519');
export const testKey = { keyId: 'test-key', privateKey: testKeys.privateKey };

const spec: GradingSpec = {
  modelVersion: 'loupe-rb@0.0.1',
  heads: {
    colour: { output: 'colour', labels: COLOUR_GRADES, temperature: 1, abstainBelow: 0.3 },
    clarity: { output: 'clarity', labels: CLARITY_GRADES, temperature: 1, abstainBelow: 0.3 },
    cut: { output: 'cut', labels: CUT_GRADES, temperature: 1, abstainBelow: 0.3 },
  },
};

function peaked(n: number, at: number): number[] {
  return Array.from({ length: n }, (_, i) => (i === at ? 5 : 0));
}

export function makeRecord(options: { createdAt?: Date; colourIndex?: number } = {}): GradeRecordV1 {
  const createdAt = options.createdAt ?? new Date();
  const unsigned = buildUnsignedRecord(spec, {
    id: uuidv7({ msecs: createdAt.getTime() }),
    createdAt: createdAt.toISOString(),
    deviceId: 'dev-test',
    storeId: 'store-test',
    frameSha256: 'ab'.repeat(32),
    outputs: { colour: peaked(23, options.colourIndex ?? 3), clarity: peaked(11, 4), cut: peaked(5, 0) },
    measurement: { diameterPx: 400, mmPerPx: 0.0162 },
  });
  return signRecord(unsigned, testKey);
}

export function tempDir(prefix = 'loupe-store-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const TINY_JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
