/**
 * HQ's check of record signatures against the keys registered for the batch's device. A record
 * is committed only if its keyId names an active key of its own store and device and the
 * ed25519 signature over its canonical JSON matches; otherwise it is rejected with a reason, and
 * the device keeps it in its outbox and offers it again later (so registering a key late loses
 * nothing).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { signatureMatches } from '../../device/grading/signature.ts';
import type { AcceptedRecord, RejectedRecord } from '../protocol/index.ts';
import type { DeviceKey } from './store/types.ts';

/** "enforce" (the default) verifies every record; "off" trusts the broker's log-ins alone. */
export const SIGNATURE_POLICIES = ['enforce', 'off'] as const;
export type SignaturePolicy = (typeof SIGNATURE_POLICIES)[number];

/** Parsed public keys by PEM: parsing costs more than a verification. */
export class PublicKeyCache {
  private readonly keys = new Map<string, KeyObject>();

  constructor(private readonly limit = 10_000) {}

  get(pem: string): KeyObject {
    let key = this.keys.get(pem);
    if (!key) {
      if (this.keys.size >= this.limit) this.keys.clear();
      key = createPublicKey(pem);
      this.keys.set(pem, key);
    }
    return key;
  }
}

/** `keys` are the registry rows of the batch's store and device (active and revoked). */
export function checkSignatures(
  records: readonly AcceptedRecord[],
  keys: readonly DeviceKey[],
  cache: PublicKeyCache,
): { verified: AcceptedRecord[]; rejected: RejectedRecord[] } {
  const byId = new Map(keys.map((k) => [k.keyId, k]));
  const verified: AcceptedRecord[] = [];
  const rejected: RejectedRecord[] = [];
  for (const entry of records) {
    const { record } = entry;
    const keyId = record.signature.keyId;
    const key = byId.get(keyId);
    if (!key || key.storeId !== record.storeId || key.deviceId !== record.deviceId) {
      rejected.push({
        id: record.id,
        code: 'SIGNATURE_KEY_UNKNOWN',
        reason: `signed with key ${keyId}, which HQ has not registered for ${record.storeId}/${record.deviceId}: register the device with "loupe hq keys add --identity <its identity/device.json>"`,
      });
    } else if (key.revokedAt !== null) {
      rejected.push({ id: record.id, code: 'SIGNATURE_KEY_REVOKED', reason: `signed with key ${keyId} of ${record.storeId}/${record.deviceId}, revoked at ${key.revokedAt}` });
    } else if (!signatureMatches(record, cache.get(key.publicKeyPem))) {
      rejected.push({ id: record.id, code: 'SIGNATURE_INVALID', reason: `the signature does not match the record: it was changed after signing, or not signed with key ${keyId}` });
    } else {
      verified.push(entry);
    }
  }
  return { verified, rejected };
}
