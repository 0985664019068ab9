/**
 * ed25519 signatures over the canonical JSON of a message without its `signature` member: grade
 * records here, and model-release announcements and pins (cloud-sync/protocol/releases.ts).
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import { gradeRecordV1Schema, type GradeRecordV1, type UnsignedGradeRecord } from './record.ts';

export interface SigningKey {
  keyId: string;
  privateKey: KeyObject;
}

export interface Ed25519Signature {
  alg: 'ed25519';
  keyId: string;
  value: string;
}

/** `unsigned` with its `signature` added. */
export function signMessage<T extends object>(unsigned: T, key: SigningKey): T & { signature: Ed25519Signature } {
  const value = sign(null, Buffer.from(canonicalJson(unsigned)), key.privateKey).toString('base64');
  return { ...unsigned, signature: { alg: 'ed25519', keyId: key.keyId, value } };
}

export function signRecord(unsigned: UnsignedGradeRecord, key: SigningKey): GradeRecordV1 {
  return signMessage(unsigned, key);
}

export type VerifyResult = { ok: true } | { ok: false; code: 'RECORD_MALFORMED' | 'SIGNATURE_KEY_MISMATCH' | 'SIGNATURE_INVALID'; reason: string };

/**
 * Checks a record's shape and its signature against a public key (KeyObject or PEM).
 * `expectedKeyId`, when given, must match the record's keyId.
 */
export function verifyRecord(record: unknown, publicKey: KeyObject | string, expectedKeyId?: string): VerifyResult {
  const parsed = gradeRecordV1Schema.safeParse(record);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, code: 'RECORD_MALFORMED', reason: `${issue?.path.join('.') || '(root)'}: ${issue?.message}` };
  }
  const { signature } = parsed.data;
  if (expectedKeyId !== undefined && signature.keyId !== expectedKeyId) {
    return { ok: false, code: 'SIGNATURE_KEY_MISMATCH', reason: `signed by key ${signature.keyId}, expected ${expectedKeyId}` };
  }
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return signatureMatches(parsed.data, key) ? { ok: true } : { ok: false, code: 'SIGNATURE_INVALID', reason: 'the signature does not match the record' };
}

/** The signature check alone, for a message already validated against its schema (HQ's ingest, release messages). */
export function signatureMatches<T extends { signature: { value: string } }>(message: T, publicKey: KeyObject): boolean {
  const { signature, ...unsigned } = message;
  if (publicKey.asymmetricKeyType !== 'ed25519') return false;
  try {
    return verify(null, Buffer.from(canonicalJson(unsigned)), publicKey, Buffer.from(signature.value, 'base64'));
  } catch {
    return false; // a value that is not a signature at all
  }
}

export function privateKeyFromPem(pem: string): KeyObject {
  return createPrivateKey(pem);
}
