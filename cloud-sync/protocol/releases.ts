/**
 * Model releases, HQ → devices, over MQTT (docs/sync.md, "Model releases").
 *
 *   loupe/releases/v1/<name>/announce                        retained  ReleaseAnnouncementV1 (signed)
 *   loupe/releases/v1/<name>/<version>/<file>/<chunk>        retained  raw bytes of one chunk
 *   loupe/releases/v1/<name>/pin                             retained  ReleasePinV1 (signed): HQ's rollback
 *
 * The announcement lists every file of the release with its sha256 and size, and is signed
 * (ed25519 over its canonical JSON without `signature`) with HQ's release key, whose public half
 * a device holds from provisioning. Chunks are retained, so a device that connects later, or
 * loses its connection halfway, gets the missing chunks again by subscribing. A root of its own
 * keeps these topics apart from the per-device ones (`loupe/v1/<store>/<device>/…`).
 */
import { z } from 'zod';
import { signatureMatches, signMessage, type SigningKey } from '../../device/grading/signature.ts';
import { SEMVER_PATTERN } from '../../device/inference/semver.ts';
import { isValidSegment, type DeviceAddress } from './topics.ts';

export const RELEASES_ROOT = 'loupe/releases/v1';
export const MAX_RELEASE_FILES = 500;
export const MAX_RELEASE_BYTES = 256 * 1024 * 1024;

const segment = z.string().refine(isValidSegment, 'expected a topic-safe id (1–64 of A-Z a-z 0-9 . _ -)');
const semverVersion = z.string().regex(SEMVER_PATTERN, 'expected semver MAJOR.MINOR.PATCH');
/** A relative path inside the release folder: no `..`, no absolute path, no backslash. */
const releasePath = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, 'expected a relative path of A-Z a-z 0-9 . _ - and /')
  .refine((p) => !p.split('/').includes('..') && !p.split('/').includes('.'), 'must not contain . or .. parts');

export const releaseAnnouncementV1Schema = z
  .object({
    schema: z.literal('loupe.release/v1'),
    name: segment,
    version: semverVersion,
    publishedAt: z.iso.datetime(),
    chunkBytes: z.number().int().min(1024).max(1024 * 1024),
    files: z
      .array(z.object({ path: releasePath, sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().min(0).max(MAX_RELEASE_BYTES) }).strict())
      .min(1)
      .max(MAX_RELEASE_FILES)
      .refine((files) => files.some((f) => f.path === 'manifest.json'), 'must include manifest.json')
      .refine((files) => new Set(files.map((f) => f.path)).size === files.length, 'paths must be unique'),
    /** null = every store / every device. */
    target: z.object({ stores: z.array(segment).min(1).nullable(), devices: z.array(segment).min(1).nullable() }).strict(),
    signature: z.object({ alg: z.literal('ed25519'), keyId: z.string().regex(/^[0-9a-f]{16}$/), value: z.string().min(1).max(200) }).strict(),
  })
  .strict();
export type ReleaseAnnouncementV1 = z.infer<typeof releaseAnnouncementV1Schema>;
export type UnsignedAnnouncement = Omit<ReleaseAnnouncementV1, 'signature'>;

/**
 * HQ's rollback: run this version (one the device already holds) from now on, and take no
 * announcement published before `issuedAt`. A device takes a pin only if it is newer than the
 * last one it took, so an old pin cannot be replayed.
 */
export const releasePinV1Schema = z
  .object({
    schema: z.literal('loupe.release-pin/v1'),
    name: segment,
    version: semverVersion,
    issuedAt: z.iso.datetime(),
    target: releaseAnnouncementV1Schema.shape.target,
    signature: releaseAnnouncementV1Schema.shape.signature,
  })
  .strict();
export type ReleasePinV1 = z.infer<typeof releasePinV1Schema>;

export function pinTopic(name: string): string {
  return `${RELEASES_ROOT}/${name}/pin`;
}

export function announceTopic(name: string): string {
  return `${RELEASES_ROOT}/${name}/announce`;
}

export const releaseTopicFilters = {
  /** What a device subscribes to: every release name's announcement. */
  announcements: `${RELEASES_ROOT}/+/announce`,
  pins: `${RELEASES_ROOT}/+/pin`,
  /** Every chunk of one version. */
  chunksOf: (name: string, version: string) => `${RELEASES_ROOT}/${name}/${version}/#`,
};

export function chunkTopic(name: string, version: string, file: number, chunk: number): string {
  return `${RELEASES_ROOT}/${name}/${version}/${file}/${chunk}`;
}

/** `{ file, chunk }` from a chunk topic of this name and version, else null. */
export function parseChunkTopic(topic: string, name: string, version: string): { file: number; chunk: number } | null {
  const prefix = `${RELEASES_ROOT}/${name}/${version}/`;
  if (!topic.startsWith(prefix)) return null;
  const m = /^(\d{1,4})\/(\d{1,6})$/.exec(topic.slice(prefix.length));
  return m ? { file: Number(m[1]), chunk: Number(m[2]) } : null;
}

export function chunkCount(bytes: number, chunkBytes: number): number {
  return Math.max(1, Math.ceil(bytes / chunkBytes));
}

/** Signs a release message (announcement or pin), as grade records are signed. */
export const signReleaseMessage = signMessage;

export function signAnnouncement(unsigned: UnsignedAnnouncement, key: SigningKey): ReleaseAnnouncementV1 {
  return signMessage(unsigned, key);
}

/** For an announcement or a pin. */
export const announcementSignatureMatches = signatureMatches;

export function isTargeted(announcement: Pick<ReleaseAnnouncementV1, 'target'>, address: DeviceAddress): boolean {
  const { stores, devices } = announcement.target;
  return (stores === null || stores.includes(address.storeId)) && (devices === null || devices.includes(address.deviceId));
}
