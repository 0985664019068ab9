/**
 * A device's signing key as HQ registers it: read from the device's identity file
 * (<device data>/identity/device.json, or `loupe identity --json`), checked, and its keyId
 * derived from the key itself, so a registry row can never name a key it does not hold.
 */
import { createPublicKey } from 'node:crypto';
import { identityFileSchema, keyIdOf } from '../../provisioning/identity.ts';
import { SyncError } from '../protocol/errors.ts';
import type { DeviceKeyInput } from './store/types.ts';

/** Validates one identity file's JSON; throws DEVICE_KEY_INVALID with what is wrong. */
export function deviceKeyFromIdentity(json: unknown, source: string, addedAt: string = new Date().toISOString()): DeviceKeyInput {
  const parsed = identityFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SyncError('DEVICE_KEY_INVALID', `${source}: not a device identity file (${issue?.path.join('.') || '(root)'}: ${issue?.message}); copy the device's identity/device.json or the output of "loupe identity --json"`);
  }
  const identity = parsed.data;
  let keyId: string;
  try {
    const key = createPublicKey(identity.publicKeyPem);
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`a ${key.asymmetricKeyType} key, not ed25519`);
    keyId = keyIdOf(key);
  } catch (error) {
    throw new SyncError('DEVICE_KEY_INVALID', `${source}: publicKeyPem is not a usable ed25519 public key (${(error as Error).message})`);
  }
  if (keyId !== identity.keyId) {
    throw new SyncError('DEVICE_KEY_INVALID', `${source}: keyId ${identity.keyId} does not belong to its publicKeyPem (that key's id is ${keyId}); the file was edited or is corrupt`);
  }
  return { storeId: identity.storeId, deviceId: identity.deviceId, keyId, publicKeyPem: identity.publicKeyPem, addedAt };
}
