/**
 * Publishes a model release folder to the fleet: every file the manifest lists (each checked
 * against its sha256 first) plus manifest.json, as retained chunks, then the signed
 * announcement, retained, last, so a device never sees an announcement whose chunks are not
 * there yet. Every publish waits for its PUBACK, with a timeout.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readManifest, readVerifiedFile, sha256Hex } from '../../device/inference/release.ts';
import { keyIdOf } from '../../provisioning/identity.ts';
import { SyncError } from '../protocol/errors.ts';
import { announceTopic, chunkCount, chunkTopic, pinTopic, releaseAnnouncementV1Schema, releasePinV1Schema, signAnnouncement, signReleaseMessage, type ReleaseAnnouncementV1, type ReleasePinV1 } from '../protocol/releases.ts';
import { connectOnce, endOnce } from '../transport/connect-once.ts';
import { withTimeout } from '../transport/timeout.ts';

export const DEFAULT_CHUNK_BYTES = 256 * 1024;

export interface PublishReleaseOptions {
  brokerUrl: string;
  username?: string;
  password?: string;
  releaseDir: string;
  privateKey: KeyObject;
  target?: { stores: string[] | null; devices: string[] | null };
  chunkBytes?: number;
  timeoutMs?: number;
  /** Overrides publishedAt (tests). */
  now?: Date;
}

export function releaseKeyFromPem(pem: string): { keyId: string; privateKey: KeyObject } {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (error) {
    throw new SyncError('CONFIG_INVALID', `the release key is not a private key PEM: ${(error as Error).message}`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new SyncError('CONFIG_INVALID', `the release key is ${privateKey.asymmetricKeyType}, not ed25519`);
  return { keyId: keyIdOf(createPublicKey(privateKey)), privateKey };
}

/** The files of a release folder, verified, and the signed announcement for them. */
export function prepareRelease(options: Pick<PublishReleaseOptions, 'releaseDir' | 'privateKey' | 'target' | 'chunkBytes' | 'now'>): { announcement: ReleaseAnnouncementV1; contents: Buffer[] } {
  const manifest = readManifest(options.releaseDir);
  const paths = ['manifest.json', ...Object.keys(manifest.files).sort()];
  const contents = paths.map((path) => (path === 'manifest.json' ? readFileSync(join(options.releaseDir, path)) : readVerifiedFile(options.releaseDir, manifest, path)));
  const key = { keyId: keyIdOf(createPublicKey(options.privateKey)), privateKey: options.privateKey };
  const announcement = signAnnouncement(
    {
      schema: 'loupe.release/v1',
      name: manifest.name,
      version: manifest.version,
      publishedAt: (options.now ?? new Date()).toISOString(),
      chunkBytes: options.chunkBytes ?? DEFAULT_CHUNK_BYTES,
      // readVerifiedFile already matched each listed file to the manifest's sha256; only the manifest itself is hashed here.
      files: paths.map((path, i) => ({ path, sha256: path === 'manifest.json' ? sha256Hex(contents[i]) : manifest.files[path].sha256, bytes: contents[i].length })),
      target: options.target ?? { stores: null, devices: null },
    },
    key,
  );
  const checked = releaseAnnouncementV1Schema.safeParse(announcement);
  if (!checked.success) throw new SyncError('PAYLOAD_INVALID', `the release cannot be announced: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { announcement, contents };
}

/**
 * HQ's rollback: pins the targeted devices to `version` of release `name` (one they hold,
 * received or bundled) and makes them ignore announcements published before now.
 */
export async function publishPin(options: Omit<PublishReleaseOptions, 'releaseDir' | 'chunkBytes'> & { name: string; version: string }): Promise<ReleasePinV1> {
  const pin = signReleaseMessage(
    { schema: 'loupe.release-pin/v1' as const, name: options.name, version: options.version, issuedAt: (options.now ?? new Date()).toISOString(), target: options.target ?? { stores: null, devices: null } },
    { keyId: keyIdOf(createPublicKey(options.privateKey)), privateKey: options.privateKey },
  );
  const checked = releasePinV1Schema.safeParse(pin);
  if (!checked.success) throw new SyncError('PAYLOAD_INVALID', `the pin cannot be sent: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const client = await connectOnce(options, timeoutMs);
  try {
    await withTimeout(client.publishAsync(pinTopic(options.name), Buffer.from(JSON.stringify(pin)), { qos: 1, retain: true }), timeoutMs, 'publish the pin');
    return pin;
  } finally {
    await endOnce(client);
  }
}

export async function publishRelease(options: PublishReleaseOptions): Promise<ReleaseAnnouncementV1> {
  const { announcement, contents } = prepareRelease(options);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const client = await connectOnce(options, timeoutMs);
  try {
    const { name, version, chunkBytes } = announcement;
    for (const [file, bytes] of contents.entries()) {
      for (let chunk = 0; chunk < chunkCount(bytes.length, chunkBytes); chunk++) {
        const part = bytes.subarray(chunk * chunkBytes, (chunk + 1) * chunkBytes);
        await withTimeout(client.publishAsync(chunkTopic(name, version, file, chunk), part, { qos: 1, retain: true }), timeoutMs, `publish chunk ${file}/${chunk}`);
      }
    }
    await withTimeout(client.publishAsync(announceTopic(name), Buffer.from(JSON.stringify(announcement)), { qos: 1, retain: true }), timeoutMs, 'publish the announcement');
    return announcement;
  } finally {
    await endOnce(client);
  }
}
