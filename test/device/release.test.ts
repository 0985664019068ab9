import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bundledReleaseDir, loadRelease, readManifest } from '../../device/inference/release.ts';
import { compareSemver } from '../../device/inference/semver.ts';
import { copyRelease, type TempRelease } from './helpers/releases.ts';

const temps: Array<{ remove(): void }> = [];
afterEach(() => temps.splice(0).forEach((t) => t.remove()));
const keep = <T extends { remove(): void }>(t: T) => (temps.push(t), t);
const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected an error');
};

describe('the bundled model release', () => {
  it('is found and verifies: schema, real scales, sha256 and size of the model', () => {
    const release = loadRelease(bundledReleaseDir());
    expect(release.manifest.schema).toBe('loupe.model-manifest/v1');
    expect(release.manifest.heads.colour.labels).toHaveLength(23);
    expect(release.modelBytes.length).toBe(release.manifest.files[release.manifest.model].bytes);
    expect(release.manifest.golden.length).toBeGreaterThan(0);
  });

  it('bundledReleaseDir picks the newest by semver, not by name', () => {
    const root = mkdtempSync(join(tmpdir(), 'loupe-releases-'));
    temps.push({ remove: () => rmSync(root, { recursive: true, force: true }) });
    for (const v of ['0.9.0', '0.10.0', '1.0.0-rc.2', '1.0.0-rc.10', 'not-semver']) {
      mkdirSync(join(root, `loupe-rb-${v}`));
      writeFileSync(join(root, `loupe-rb-${v}`, 'manifest.json'), '{}');
    }
    mkdirSync(join(root, 'loupe-rb-2.0.0')); // no manifest: not a release
    expect(bundledReleaseDir(root)).toBe(join(root, 'loupe-rb-1.0.0-rc.10'));
    expect(failure(() => bundledReleaseDir(join(root, 'missing'))).code).toBe('RELEASE_NOT_FOUND');
  });

  it('compareSemver orders releases, prereleases before their release', () => {
    expect(['1.0.0', '0.10.0', '1.0.0-rc.1', '0.9.9', '1.0.0-alpha'].sort(compareSemver)).toEqual(['0.9.9', '0.10.0', '1.0.0-alpha', '1.0.0-rc.1', '1.0.0']);
  });
});

describe('a broken release is refused with a code', () => {
  const source = () => bundledReleaseDir();

  it('MODEL_HASH_MISMATCH when the model bytes changed', () => {
    const r: TempRelease = keep(
      copyRelease(source(), (m, dir) => {
        const file = join(dir, m.model);
        const bytes = readFileSync(file);
        bytes[bytes.length - 10] ^= 0xff;
        writeFileSync(file, bytes);
      }, { rehash: false }),
    );
    expect(failure(() => loadRelease(r.dir))).toMatchObject({ code: 'MODEL_HASH_MISMATCH', message: expect.stringContaining('sha256') });
  });

  it('MODEL_SIZE_MISMATCH and MODEL_FILE_MISSING', () => {
    const short = keep(copyRelease(source(), (m, dir) => writeFileSync(join(dir, m.model), readFileSync(join(dir, m.model)).subarray(0, 100)), { rehash: false }));
    expect(failure(() => loadRelease(short.dir)).code).toBe('MODEL_SIZE_MISMATCH');
    const gone = keep(copyRelease(source(), (m, dir) => rmSync(join(dir, m.model)), { rehash: false }));
    expect(failure(() => loadRelease(gone.dir)).code).toBe('MODEL_FILE_MISSING');
  });

  it('MANIFEST_INVALID names the field: labels off the real scale, a bad version, a model not in files', () => {
    const labels = keep(copyRelease(source(), (m) => (m.heads.colour.labels = m.heads.colour.labels.slice(1))));
    expect(failure(() => readManifest(labels.dir))).toMatchObject({ code: 'MANIFEST_INVALID', message: expect.stringContaining('heads.colour.labels: expected exactly [D, E') });
    const version = keep(copyRelease(source(), (m) => (m.version = 'one')));
    expect(failure(() => readManifest(version.dir)).message).toContain('version: expected semver');
    const model = keep(copyRelease(source(), (m) => (m.model = 'other.onnx'), { rehash: false }));
    expect(failure(() => readManifest(model.dir)).message).toContain('model: "other.onnx" is not listed in files');
    const escape = keep(copyRelease(source(), (m) => (m.files['../../etc/passwd'] = { sha256: '0'.repeat(64), bytes: 1 })));
    expect(failure(() => readManifest(escape.dir)).message).toContain('expected a path inside the release folder');
  });

  it('MANIFEST_INVALID for test-time views the device cannot run: unknown, repeated, or not starting with identity', () => {
    const message = (views: unknown) => failure(() => readManifest(keep(copyRelease(source(), (m) => (m.input.views = views))).dir)).message;
    expect(message(['identity', 'rot45'])).toContain('input.views.1');
    expect(message(['identity', 'mirror', 'mirror'])).toContain('input.views: expected each view at most once');
    expect(message(['mirror', 'identity'])).toContain('input.views: expected "identity" first');
    expect(message([])).toContain('input.views');
  });

  it('MANIFEST_INVALID for a within-one weight that is negative or not a number; absent is the argmax', () => {
    const message = (weight: unknown) => failure(() => readManifest(keep(copyRelease(source(), (m) => ((m.heads.clarity as Record<string, unknown>).withinOneWeight = weight))).dir)).message;
    expect(message(-1)).toContain('heads.clarity.withinOneWeight');
    expect(message('1')).toContain('heads.clarity.withinOneWeight');
    const absent = keep(copyRelease(source(), (m) => delete (m.heads.clarity as Record<string, unknown>).withinOneWeight));
    expect(readManifest(absent.dir).heads.clarity.withinOneWeight).toBeUndefined();
  });

  it('MANIFEST_UNREADABLE for a manifest that is not JSON', () => {
    const r = keep(copyRelease(source()));
    writeFileSync(join(r.dir, 'manifest.json'), '{ not json');
    expect(failure(() => readManifest(r.dir)).code).toBe('MANIFEST_UNREADABLE');
  });
});
