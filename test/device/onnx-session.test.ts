import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGoldenSet } from '../../device/inference/golden.ts';
import { OnnxSession } from '../../device/inference/onnx-session.ts';
import { bundledReleaseDir, loadRelease, sha256Hex } from '../../device/inference/release.ts';
import { copyRelease, scratchRelease, type TempRelease } from './helpers/releases.ts';

const release = () => loadRelease(bundledReleaseDir());
const zeros = (n = 1, size = release().manifest.input.size) => ({ data: new Float32Array(n * 3 * size * size), dims: [n, 3, size, size] });

async function loadFailure(dir: string, providers = ['cpu']) {
  const session = new OnnxSession({ release: loadRelease(dir), providers, runTimeoutMs: 1000 });
  try {
    await session.load();
  } catch (error) {
    return error as { code: string; message: string };
  } finally {
    await session.release();
  }
  throw new Error('expected the load to fail');
}

describe('OnnxSession on the committed release', () => {
  let session: OnnxSession;
  beforeAll(async () => {
    session = new OnnxSession({ release: release(), providers: ['tensorrt', 'cuda', 'cpu'], runTimeoutMs: 2000 });
    await session.load();
  });
  afterAll(() => session.release());

  it('falls back through the providers in order and reports the one it got', () => {
    const attempts = session.attempts;
    const winner = attempts.findIndex((a) => a.ok);
    expect(winner).toBe(attempts.length - 1);
    expect(session.provider).toBe(attempts[winner].provider);
    expect(attempts.map((a) => a.provider)).toEqual(['tensorrt', 'cuda', 'cpu'].slice(0, attempts.length));
    for (const failed of attempts.slice(0, winner)) expect(failed.reason).toBeTruthy();
  });

  it('gives every head its logits for a batch of one', async () => {
    const out = await session.run(zeros());
    expect(out.colour.dims).toEqual([1, 23]);
    expect(out.clarity.dims).toEqual([1, 11]);
    expect(out.cut.dims).toEqual([1, 5]);
    expect(out.proportions.dims).toEqual([1, 4]);
    expect(Array.from(out.colour.data).every(Number.isFinite)).toBe(true);
  });

  it('reproduces the release golden set exactly', async () => {
    const r = release();
    const report = await runGoldenSet(session, r);
    expect(report.total).toBe(r.manifest.golden.length * 3);
    expect(report.mismatches).toEqual([]);
  });

  it('rejects a run past its timeout with INFERENCE_TIMEOUT, and keeps working after', async () => {
    const slow = new OnnxSession({ release: release(), providers: ['cpu'], runTimeoutMs: 5 });
    await slow.load();
    try {
      await expect(slow.run(zeros(64))).rejects.toMatchObject({ code: 'INFERENCE_TIMEOUT' });
      expect(slow.timedOutRuns).toBe(1);
      const after = await slow.run(zeros(), 10_000);
      expect(after.colour.dims).toEqual([1, 23]);
    } finally {
      await slow.release();
    }
  });

  it('leaves the caller its tensor, and gives the same answer when the worker\'s returned buffers are reused', async () => {
    const input = zeros(4);
    input.data.fill(0.25);
    const first = await session.run(input);
    expect(input.data.every((v) => v === 0.25)).toBe(true);
    const other = zeros(4);
    other.data.fill(-1);
    await session.run(other); // reuses the buffer the first run handed back
    const again = await session.run(input);
    expect(Array.from(again.clarity.data)).toEqual(Array.from(first.clarity.data));
  });

  it('refuses to run once released (MODEL_NOT_READY)', async () => {
    const s = new OnnxSession({ release: release(), providers: ['cpu'], runTimeoutMs: 1000 });
    await s.load();
    await s.release();
    await expect(s.run(zeros())).rejects.toMatchObject({ code: 'MODEL_NOT_READY' });
  });
});

describe('OnnxSession refuses a model that does not match its manifest', () => {
  const temps: TempRelease[] = [];
  afterAll(() => temps.forEach((t) => t.remove()));
  const keep = (t: TempRelease) => (temps.push(t), t);

  it('MODEL_INPUT_MISMATCH: input name or size differ from the model', async () => {
    const name = keep(copyRelease(bundledReleaseDir(), (m) => (m.input.name = 'pixels')));
    expect(await loadFailure(name.dir)).toMatchObject({ code: 'MODEL_INPUT_MISMATCH', message: expect.stringContaining('"pixels"') });
    const size = keep(copyRelease(bundledReleaseDir(), (m) => (m.input.size = 96)));
    expect(await loadFailure(size.dir)).toMatchObject({ code: 'MODEL_INPUT_MISMATCH', message: expect.stringContaining('[N, 3, 96, 96]') });
  });

  it('MODEL_OUTPUT_MISMATCH: a head output the model lacks, or of the wrong width', async () => {
    const missing = keep(copyRelease(bundledReleaseDir(), (m) => (m.heads.cut.output = 'cut_logits')));
    expect(await loadFailure(missing.dir)).toMatchObject({ code: 'MODEL_OUTPUT_MISMATCH', message: expect.stringContaining('"cut_logits"') });
    const narrow = keep(scratchRelease({ model: { heads: { colour: 20, clarity: 11, cut: 5, proportions: 4 } } }));
    expect(await loadFailure(narrow.dir)).toMatchObject({ code: 'MODEL_OUTPUT_MISMATCH', message: expect.stringContaining('needs [N, 23]') });
  });

  it('MODEL_LOAD_FAILED: bytes that are not an ONNX model, even with a matching hash', async () => {
    const garbage = keep(
      copyRelease(bundledReleaseDir(), (m, dir) => {
        writeFileSync(join(dir, m.model), Buffer.from('definitely not a protobuf'.repeat(10)));
      }),
    );
    expect(sha256Hex(loadRelease(garbage.dir).modelBytes)).toBe(loadRelease(garbage.dir).manifest.files[loadRelease(garbage.dir).manifest.model].sha256);
    expect((await loadFailure(garbage.dir)).code).toBe('MODEL_LOAD_FAILED');
  });

  it('MODEL_NO_PROVIDER when none of the listed providers exists here', async () => {
    expect(await loadFailure(bundledReleaseDir(), ['coreml', 'dml'])).toMatchObject({ code: 'MODEL_NO_PROVIDER', message: expect.stringContaining('add "cpu"') });
  });
});

describe('ModelHost recovers from a dead inference worker', () => {
  it('answers MODEL_NOT_READY once, reloads the same release, and grades again', async () => {
    const { ModelHost } = await import('../../device/inference/model-host.ts');
    const host = new ModelHost({ providers: ['cpu'], runTimeoutMs: 5000 });
    await host.load(bundledReleaseDir());
    try {
      await host.withSession(async (session) => {
        // A real crash of the worker thread, as an out-of-memory kill would cause.
        await (session as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      });
      await expect(host.withSession((s) => s.run(zeros()))).rejects.toMatchObject({ code: 'MODEL_NOT_READY' });
      await expect.poll(() => host.ready, { timeout: 30_000 }).toBe(true);
      const out = await host.withSession((s) => s.run(zeros()));
      expect(out.colour.dims).toEqual([1, 23]);
    } finally {
      await host.stop();
    }
  });
});

describe('ModelHost replaces an inference worker that stops answering', () => {
  it('after a run past its timeout, swaps in a fresh session of the same release, and the next run does not queue behind the stuck one', async () => {
    const { ModelHost } = await import('../../device/inference/model-host.ts');
    // 50 ms: a batch of 128 keeps the worker busy for longer, as a hung native run would. The old
    // worker is released after the swap; if it is still in its run then, it is left to stop by
    // itself (the test below), never terminated.
    const host = new ModelHost({ providers: ['cpu'], runTimeoutMs: 50 });
    await host.load(bundledReleaseDir());
    try {
      let stuck: unknown;
      await expect(
        host.withSession((session) => {
          stuck = session;
          return session.run(zeros(128));
        }),
      ).rejects.toMatchObject({ code: 'INFERENCE_TIMEOUT' });
      await expect.poll(() => host.replacements, { timeout: 30_000 }).toBe(1);
      const { fresh, out } = await host.withSession(async (session) => ({ fresh: session, out: await session.run(zeros(), 10_000) }));
      expect(fresh).not.toBe(stuck);
      expect(out.colour.dims).toEqual([1, 23]);
      expect(host.info()?.releaseDir).toBe(bundledReleaseDir());
    } finally {
      await host.stop();
    }
  });
});

describe('OnnxSession.release while its worker is in a long native run', () => {
  it('does not terminate the worker mid-run: it lets go of it, and the worker stops by itself after the run', async () => {
    // Worker.terminate() in the middle of a native onnxruntime run can abort the whole process
    // ("terminate called after throwing an instance of 'Napi::Error'"); it did once in CI.
    const session = new OnnxSession({ release: release(), providers: ['cpu'], runTimeoutMs: 120_000, releaseGraceMs: 10 });
    await session.load();
    // The worker reads the run before the release; a batch of 256 takes far longer than 10 ms.
    const run = session.run(zeros(256));
    await session.release();
    expect(session.abandonedWorker).toBe(true);
    expect(session.loaded).toBe(false);
    await expect(run).rejects.toMatchObject({ code: 'MODEL_NOT_READY' });
    await expect(session.run(zeros())).rejects.toMatchObject({ code: 'MODEL_NOT_READY' });
    // 0: it closed its own port after the run; a terminated worker exits with 1.
    expect(await session.exited).toBe(0);
    expect(session.abandonedWorker).toBe(false);
  });

  it('releases in time, without letting go, when the worker is idle', async () => {
    const session = new OnnxSession({ release: release(), providers: ['cpu'], runTimeoutMs: 10_000, releaseGraceMs: 5000 });
    await session.load();
    await session.run(zeros());
    await session.release();
    expect(session.abandonedWorker).toBe(false);
    expect(await session.exited).toBe(0);
  });
});
