/**
 * The device identity: deviceId, storeId and an ed25519 signing key pair, kept in
 * <dataDir>/identity/. An enrolment bundle (HQ-minted) may be placed there before first start;
 * otherwise one is created on first start.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const IDENTITY_DIR = 'identity';
export const IDENTITY_FILE = 'device.json';
export const PRIVATE_KEY_FILE = 'device-key.pem';
/** HQ's release public key, placed here by provisioning: the device takes releases signed with it. */
export const RELEASE_KEY_FILE = 'hq-release-key.pem';

const idPattern = /^[A-Za-z0-9._-]{1,64}$/;

export const identityFileSchema = z
  .object({
    schema: z.literal('loupe.device-identity/v1'),
    deviceId: z.string().regex(idPattern),
    storeId: z.string().regex(idPattern),
    keyId: z.string().regex(/^[0-9a-f]{16}$/),
    publicKeyPem: z.string().startsWith('-----BEGIN PUBLIC KEY-----'),
    createdAt: z.iso.datetime(),
    /** Provisioned by HQ (enrolment bundle) or created on the box. */
    origin: z.enum(['provisioned', 'self']),
  })
  .strict();

export type IdentityFile = z.infer<typeof identityFileSchema>;

export interface DeviceIdentity {
  deviceId: string;
  storeId: string;
  keyId: string;
  publicKeyPem: string;
  privateKey: KeyObject;
  origin: 'provisioned' | 'self';
}

export class IdentityError extends Error {
  override readonly name = 'IdentityError';
  constructor(
    readonly code: 'IDENTITY_INVALID' | 'IDENTITY_KEY_MISMATCH' | 'IDENTITY_UNREADABLE',
    message: string,
  ) {
    super(message);
  }
}

/** keyId = the first 16 hex digits of sha256 over the public key's SPKI DER. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

export function loadOrCreateIdentity(dataDir: string, wanted: { deviceId?: string | null; storeId?: string | null } = {}): DeviceIdentity & { created: boolean } {
  const dir = join(dataDir, IDENTITY_DIR);
  const identityPath = join(dir, IDENTITY_FILE);
  const keyPath = join(dir, PRIVATE_KEY_FILE);
  if (existsSync(identityPath) || existsSync(keyPath)) return { ...readIdentity(identityPath, keyPath), created: false };

  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const keyId = keyIdOf(publicKey);
  const file: IdentityFile = {
    schema: 'loupe.device-identity/v1',
    deviceId: wanted.deviceId ?? `loupe-${keyId.slice(0, 12)}`,
    storeId: wanted.storeId ?? 'unassigned',
    keyId,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    createdAt: new Date().toISOString(),
    origin: 'self',
  };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeAtomically(keyPath, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
  writeAtomically(identityPath, `${JSON.stringify(file, null, 2)}\n`, 0o644);
  return { ...file, privateKey, created: true };
}

function readIdentity(identityPath: string, keyPath: string): DeviceIdentity {
  let file: IdentityFile;
  let privateKey: KeyObject;
  try {
    const parsed = identityFileSchema.safeParse(JSON.parse(readFileSync(identityPath, 'utf8')));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new IdentityError('IDENTITY_INVALID', `${identityPath}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    file = parsed.data;
    privateKey = createPrivateKey(readFileSync(keyPath, 'utf8'));
  } catch (error) {
    if (error instanceof IdentityError) throw error;
    throw new IdentityError('IDENTITY_UNREADABLE', `cannot read the device identity in ${identityPath} / ${keyPath}: ${(error as Error).message}`);
  }
  const derivedPublic = createPublicKey(privateKey);
  if (privateKey.asymmetricKeyType !== 'ed25519' || keyIdOf(derivedPublic) !== file.keyId) {
    throw new IdentityError('IDENTITY_KEY_MISMATCH', `${keyPath} does not match keyId ${file.keyId} in ${identityPath}; re-provision the device`);
  }
  return { deviceId: file.deviceId, storeId: file.storeId, keyId: file.keyId, publicKeyPem: file.publicKeyPem, privateKey, origin: file.origin };
}

function writeAtomically(file: string, text: string, mode: number): void {
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, text, { mode });
  chmodSync(temp, mode);
  renameSync(temp, file);
}
