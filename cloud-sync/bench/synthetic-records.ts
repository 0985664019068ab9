/** Signed grade records (docs/INTERFACES.md §3) for the sync benchmark and tests, built with the real grading code. */
import { generateKeyPairSync } from 'node:crypto';
import { v7 as uuidv7 } from 'uuid';
import { signRecord, type SigningKey } from '../../device/grading/signature.ts';
import type { GradeRecordV1, UnsignedGradeRecord } from '../../device/grading/record.ts';
import { COLOUR_GRADES, CLARITY_GRADES, CUT_GRADES } from '../../device/grading/scales.ts';
import { keyIdOf } from '../../provisioning/identity.ts';
import type { AddKeyOutcome, HqStore } from '../hq/store/types.ts';

export interface TestSigningKey extends SigningKey {
  publicKeyPem: string;
}

/** A fresh ed25519 key with its keyId derived as a device's is (provisioning/identity.ts). */
export function testSigningKey(): TestSigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { keyId: keyIdOf(publicKey), privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string };
}

/** Registers `key` for the device at HQ, as `loupe hq keys add` does. */
export function trustKey(store: HqStore, address: { storeId: string; deviceId: string }, key: TestSigningKey): Promise<AddKeyOutcome> {
  return store.addDeviceKey({ ...address, keyId: key.keyId, publicKeyPem: key.publicKeyPem, addedAt: new Date().toISOString() });
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
