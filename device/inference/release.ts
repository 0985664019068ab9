/** A model release folder: manifest.json validated, the model file checked against its sha256 and size. */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelError } from './errors.ts';
import { manifestSchema, type ModelManifest } from './manifest.ts';
import { compareSemver, SEMVER_PATTERN } from './semver.ts';

export const RELEASES_ROOT = fileURLToPath(new URL('../../models/release/', import.meta.url));
export const MANIFEST_FILE = 'manifest.json';

export interface ModelRelease {
  dir: string;
  manifest: ModelManifest;
  modelBytes: Buffer;
}

/** Where the device keeps releases it received over MQTT (cloud-sync/agent/release-follower.ts). */
export function downloadedReleasesDir(dataDir: string): string {
  return join(dataDir, 'releases');
}

/** Release folders (<name>-<semver> holding a manifest) under these roots, newest version first. */
export function releaseDirsNewestFirst(roots: readonly string[]): string[] {
  return roots
    .flatMap((root) => (existsSync(root) ? readdirSync(root) : []).map((folder) => ({ dir: join(root, folder), version: /-(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.exec(folder)?.[1] })))
    .filter((c): c is { dir: string; version: string } => c.version !== undefined && SEMVER_PATTERN.test(c.version))
    .filter((c) => existsSync(join(c.dir, MANIFEST_FILE)))
    .sort((a, b) => compareSemver(b.version, a.version))
    .map((c) => c.dir);
}

/** The newest release folder (<name>-<semver>) holding a manifest, by semver. */
export function bundledReleaseDir(root = RELEASES_ROOT): string {
  const [newest] = releaseDirsNewestFirst([root]);
  if (!newest) {
    throw new ModelError('RELEASE_NOT_FOUND', `no model release (<name>-<version>/manifest.json) under ${root}; train one (npm run train) or pass --model DIR`);
  }
  return newest;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function readManifest(dir: string): ModelManifest {
  const file = join(dir, MANIFEST_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ModelError('MANIFEST_UNREADABLE', `${file}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      // A bad record key is reported by zod as "Invalid key in record"; the key's own reason is inside.
      const reason = i.code === 'invalid_key' ? (i.issues[0]?.message ?? i.message) : i.message;
      return `${i.path.join('.') || '(root)'}: ${reason}`;
    });
    throw new ModelError('MANIFEST_INVALID', `${file}: ${lines.join('; ')}`);
  }
  return parsed.data;
}

/** Reads and checks one file listed in the manifest. */
export function readVerifiedFile(dir: string, manifest: ModelManifest, name: string): Buffer {
  const entry = manifest.files[name];
  const file = join(dir, name);
  if (!entry) throw new ModelError('MANIFEST_INVALID', `${name} is not listed in the manifest's files`);
  if (!existsSync(file) || !statSync(file).isFile()) throw new ModelError('MODEL_FILE_MISSING', `${file} is missing`);
  const bytes = readFileSync(file);
  if (bytes.length !== entry.bytes) throw new ModelError('MODEL_SIZE_MISMATCH', `${file} is ${bytes.length} bytes, the manifest says ${entry.bytes}`);
  const actual = sha256Hex(bytes);
  if (actual !== entry.sha256) throw new ModelError('MODEL_HASH_MISMATCH', `${file} has sha256 ${actual}, the manifest says ${entry.sha256}`);
  return bytes;
}

export function loadRelease(dir: string): ModelRelease {
  const manifest = readManifest(dir);
  return { dir, manifest, modelBytes: readVerifiedFile(dir, manifest, manifest.model) };
}
