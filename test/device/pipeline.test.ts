import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../device/config/load.ts';
import { GradingCore } from '../../device/daemon/grading-core.ts';
import { STAGES } from '../../device/daemon/grade-pipeline.ts';
import { verifyRecord } from '../../device/grading/signature.ts';
import { bundledReleaseDir } from '../../device/inference/release.ts';
import { BAD_FRAME_KINDS, CONVERTED_FRAME_KINDS, makeFrameFixtures, type FrameFixtureSet } from '../fixtures/bad-frames.ts';
import { hugeImage } from './helpers/huge-image.ts';
import { copyRelease, type TempRelease } from './helpers/releases.ts';

let fixtures: FrameFixtureSet;

/** Every file under frames/: a refused frame must not leave one behind. */
function frameFilesOnDisk(): number {
  const root = join(dataDir, 'frames');
  if (!existsSync(root)) return 0;
  return readdirSync(root).reduce((n, day) => n + readdirSync(join(root, day)).length, 0);
}
let dataDir: string;
let core: GradingCore;

beforeAll(async () => {
  fixtures = await makeFrameFixtures();
  dataDir = mkdtempSync(join(tmpdir(), 'loupe-pipeline-'));
  core = new GradingCore(loadConfig({ dataDir }));
  await core.start();
});
afterAll(async () => {
  await core.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('grade pipeline: a good frame', () => {
  it('becomes one signed, stored record with thumbnail, frame file and outbox row', async () => {
    const before = core.store.count();
    const outcome = await core.grade({ data: fixtures.good.bytes });
    if (!outcome.ok) throw new Error(`refused: ${outcome.error.code}`);
    const { record } = outcome;

    expect(verifyRecord(record, core.identity.publicKeyPem, core.identity.keyId)).toEqual({ ok: true });
    expect(record.modelVersion).toMatch(/^loupe-rb@\d+\.\d+\.\d+/);
    expect(record.frameSha256).toBe(createHash('sha256').update(fixtures.good.bytes).digest('hex'));
    expect(core.store.count()).toBe(before + 1);
    expect(core.store.get(record.id)).toEqual(record);
    expect(core.store.outbox.peek(1000).map((e) => e.recordId)).toContain(record.id);

    const framePath = core.store.framePath(record.id)!;
    expect(framePath.endsWith(`${record.id}.jpg`)).toBe(true);
    expect(readFileSync(framePath).equals(fixtures.good.bytes)).toBe(true);
    const thumb = await sharp(core.store.thumbnail(record.id)!).metadata();
    expect([thumb.format, thumb.width, thumb.height]).toEqual(['jpeg', 160, 160]);

    for (const stage of STAGES) expect(outcome.timings[stage]).toBeGreaterThanOrEqual(0);
    expect(outcome.timings.total).toBeGreaterThan(outcome.timings.infer!);
  });

  it('measures carat from the girdle diameter and the calibration (within 20 % of the render truth)', async () => {
    const outcome = await core.grade({ data: fixtures.good.bytes });
    if (!outcome.ok) throw new Error(outcome.error.code);
    const { carat } = outcome.record;
    expect(carat.mmPerPx).toBe(0.025);
    expect(Math.abs(carat.diameterPx - fixtures.good.labels.diameter_px) / fixtures.good.labels.diameter_px).toBeLessThan(0.05);
    expect(Math.abs(carat.value - fixtures.good.labels.carat) / fixtures.good.labels.carat).toBeLessThan(0.2);
    expect(outcome.record.proportions).toBeDefined();
  });
});

describe('grade pipeline: bad input is refused with its code, and writes nothing', () => {
  for (const kind of BAD_FRAME_KINDS) {
    it(`${kind}`, async () => {
      const fixture = fixtures.bad[kind];
      const grades = core.store.count();
      const backlog = core.store.outbox.backlog().count;
      const outcome = await core.grade({ data: fixture.bytes });
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.error.code).toBe(fixture.expect);
      expect(outcome.error.message.length).toBeGreaterThan(20);
      expect(core.store.count()).toBe(grades);
      expect(core.store.outbox.backlog().count).toBe(backlog);
      expect(frameFilesOnDisk()).toBe(grades);
    });
  }

  it('a 20000×20000 image (IMAGE_TOO_LARGE), refused from its header', async () => {
    const grades = core.store.count();
    const outcome = await core.grade({ data: await hugeImage() });
    expect(outcome.ok ? 'graded' : outcome.error.code).toBe('IMAGE_TOO_LARGE');
    expect(core.store.count()).toBe(grades);
  });

  it('the pipeline still grades after every refusal', async () => {
    expect((await core.grade({ data: fixtures.good.bytes })).ok).toBe(true);
  });
});

describe('grade pipeline: odd but gradeable input is converted on purpose', () => {
  for (const kind of CONVERTED_FRAME_KINDS) {
    it(`${kind}`, async () => {
      const outcome = await core.grade({ data: fixtures.converted[kind].bytes });
      if (!outcome.ok) throw new Error(`${kind} refused: ${outcome.error.code}`);
      const ext = kind === 'cmyk' ? 'jpg' : 'png';
      expect(existsSync(core.store.framePath(outcome.record.id)!)).toBe(true);
      expect(core.store.framePath(outcome.record.id)!.endsWith(`.${ext}`)).toBe(true);
    });
  }
});

describe('hot swap under load', () => {
  const temps: TempRelease[] = [];
  afterAll(() => temps.forEach((t) => t.remove()));

  it('swaps the model while 24 grades run concurrently: none fails, both versions grade', async () => {
    const next = copyRelease(bundledReleaseDir(), (m) => (m.version = '99.0.0'));
    temps.push(next);
    const before = core.models.info()!;
    const grades = Array.from({ length: 24 }, () => core.grade({ data: fixtures.good.bytes }));
    const swap = core.models.load(next.dir);
    const outcomes = await Promise.all(grades);
    const info = await swap;
    const more = await Promise.all(Array.from({ length: 4 }, () => core.grade({ data: fixtures.good.bytes })));

    const all = [...outcomes, ...more];
    expect(all.filter((o) => !o.ok)).toEqual([]);
    const versions = new Set(all.map((o) => (o.ok ? o.record.modelVersion : '')));
    expect(versions).toContain(`loupe-rb@${before.version}`);
    expect(versions).toContain('loupe-rb@99.0.0');
    expect(info.version).toBe('99.0.0');
    expect(core.models.previousReleaseDir).toBe(before.releaseDir);
    for (const o of more) expect(o.ok && o.record.modelVersion).toBe('loupe-rb@99.0.0');
  });

  it('a broken release is refused and the model in use keeps grading', async () => {
    const broken = copyRelease(bundledReleaseDir(), (m) => (m.heads.clarity.output = 'nope'));
    temps.push(broken);
    const inUse = core.models.info()!;
    const grading = Promise.all(Array.from({ length: 8 }, () => core.grade({ data: fixtures.good.bytes })));
    await expect(core.models.load(broken.dir)).rejects.toMatchObject({ code: 'MODEL_OUTPUT_MISMATCH' });
    expect((await grading).every((o) => o.ok)).toBe(true);
    expect(core.models.info()).toEqual(inUse);
  });

  it('a release that gives one golden answer differently here is refused before it grades, and the model in use stays', async () => {
    const wrong = copyRelease(bundledReleaseDir(), (m) => {
      const first = m.golden[0].expected;
      first.colour = first.colour === 'D' ? 'E' : 'D';
    });
    temps.push(wrong);
    const inUse = core.models.info()!;
    await expect(core.models.load(wrong.dir)).rejects.toMatchObject({
      code: 'MODEL_GOLDEN_MISMATCH',
      message: expect.stringMatching(/gives 1 of 108 golden answers differently .*golden\/000\.png colour: expected [DE], got [A-Z]/),
    });
    expect(core.models.info()).toEqual(inUse);
    expect((await core.grade({ data: fixtures.good.bytes })).ok).toBe(true);
  });
});

describe('calibration', () => {
  it('a new calibration applies to the next grade without a restart', async () => {
    const before = await core.grade({ data: fixtures.good.bytes });
    await core.calibration.save({ mmPerPx: 0.02, measuredAt: new Date().toISOString(), diskMm: 10, diskPx: 500 });
    const after = await core.grade({ data: fixtures.good.bytes });
    if (!before.ok || !after.ok) throw new Error('refused');
    expect(before.record.carat.mmPerPx).not.toBe(0.02);
    expect(after.record.carat.mmPerPx).toBe(0.02);
    expect(after.record.carat.diameterMm).toBeCloseTo(after.record.carat.diameterPx * 0.02, 3);
  });
});
