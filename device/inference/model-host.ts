/**
 * Holds the model the daemon grades with, and swaps it without dropping a grade: the new
 * session is loaded and warmed beside the old one, must give every answer of its release's
 * golden set (on this machine's execution provider, which may round differently from the build
 * machine's), then replaces the old one in one assignment. Work that started on the old session
 * finishes on it; the old session is released after.
 */
import { ModelError } from './errors.ts';
import { OnnxSession, type OnnxSessionOptions } from './onnx-session.ts';
import { runGoldenSet } from './golden.ts';
import { loadRelease } from './release.ts';
import { withTimeout } from './timeout.ts';

/** Inside the daemon's 5 s stop step for the model and store (device/daemon/app.ts). */
const ABANDONED_STOP_WAIT_MS = 3000;

interface Slot {
  session: OnnxSession;
  inFlight: number;
  retired: boolean;
  /** A fresh session of the same release is being loaded to replace this one. */
  replacing: boolean;
}

export interface ModelHostOptions extends Omit<OnnxSessionOptions, 'release'> {}

export interface ModelInfo {
  name: string;
  version: string;
  trainedOn: string;
  provider: string;
  releaseDir: string;
}

export class ModelHost {
  private active: Slot | undefined;
  private previousDir: string | undefined;
  private swapping: Promise<unknown> = Promise.resolve();
  private readonly releasing = new Set<Promise<void>>();
  private replacedSessions = 0;
  private readonly abandonedSessions = new Set<OnnxSession>();

  constructor(private readonly options: ModelHostOptions) {}

  get ready(): boolean {
    return this.active !== undefined;
  }

  info(): ModelInfo | undefined {
    const session = this.active?.session;
    if (!session) return undefined;
    const { name, version, trainedOn } = session.manifest;
    return { name, version, trainedOn, provider: session.provider ?? 'unknown', releaseDir: session.releaseDir };
  }

  /** Sessions replaced because a run overstayed its timeout (a health signal). */
  get replacements(): number {
    return this.replacedSessions;
  }

  /**
   * Released sessions whose worker was still in a native run after the grace period, left to
   * stop by themselves rather than terminated (onnx-session.ts release()); a hung run stays here.
   */
  get abandonedWorkers(): number {
    return this.abandonedSessions.size;
  }

  /** The release dir that was active before the last swap (for rollback). */
  get previousReleaseDir(): string | undefined {
    return this.previousDir;
  }

  /**
   * Loads and warms `releaseDir`, then makes it the active model. On any failure the model in
   * use stays in use and the error (with its code) is thrown. Swaps run one at a time.
   */
  load(releaseDir: string): Promise<ModelInfo> {
    const next = this.swapping.then(() => this.swapTo(releaseDir));
    this.swapping = next.catch(() => undefined);
    return next;
  }

  private async swapTo(releaseDir: string): Promise<ModelInfo> {
    const release = loadRelease(releaseDir);
    const session = new OnnxSession({ ...this.options, release });
    await session.load();
    await this.checkGolden(session, release).catch(async (error) => {
      await session.release();
      throw error;
    });
    const old = this.active;
    this.active = { session, inFlight: 0, retired: false, replacing: false };
    if (old) {
      this.previousDir = old.session.releaseDir;
      old.retired = true;
      this.releaseIfIdle(old);
    }
    return this.info()!;
  }

  private async checkGolden(session: OnnxSession, release: ReturnType<typeof loadRelease>): Promise<void> {
    const report = await runGoldenSet(session, release);
    if (report.mismatches.length === 0) return;
    const first = report.mismatches.slice(0, 3).map((m) => `${m.file} ${m.head}: expected ${m.expected}, got ${m.got}`).join('; ');
    throw new ModelError(
      'MODEL_GOLDEN_MISMATCH',
      `${release.manifest.name}@${release.manifest.version} gives ${report.mismatches.length} of ${report.total} golden answers differently on this machine (${first}); the model in use stays in use`,
    );
  }

  /** Runs `work` with the active session; a swap during `work` does not affect it. */
  async withSession<T>(work: (session: OnnxSession) => Promise<T>): Promise<T> {
    const slot = this.active;
    if (!slot) throw new ModelError('MODEL_NOT_READY', 'no model is loaded yet');
    if (!slot.session.loaded) {
      // Its worker died (a crash, out of memory): load the same release again, once.
      if (!slot.retired) {
        slot.retired = true;
        this.active = undefined;
        void this.load(slot.session.releaseDir).catch(() => undefined);
      }
      throw new ModelError('MODEL_NOT_READY', 'the inference worker stopped; the model is being reloaded');
    }
    slot.inFlight++;
    try {
      return await work(slot.session);
    } finally {
      slot.inFlight--;
      this.replaceIfStuck(slot);
      this.releaseIfIdle(slot);
    }
  }

  /**
   * A run past its timeout may be a worker stuck in native code, which would hold every later
   * run in its queue. So after one, a fresh session of the same release is loaded and warmed
   * beside it and swapped in, as in a hot swap; the old worker is released (terminated if it
   * cannot answer). Nothing happens if another release was swapped in meanwhile.
   */
  private replaceIfStuck(slot: Slot): void {
    if (slot.retired || slot.replacing || slot.session.timedOutRuns === 0) return;
    slot.replacing = true;
    const next = this.swapping.then(async () => {
      if (this.active !== slot) return;
      await this.swapTo(slot.session.releaseDir);
      this.replacedSessions++;
    });
    this.swapping = next.catch(() => {
      slot.replacing = false; // try again after the next timeout
    });
  }

  private releaseIfIdle(slot: Slot): void {
    if (!slot.retired || slot.inFlight > 0) return;
    const session = slot.session;
    const done = session
      .release()
      .then(() => {
        if (!session.abandonedWorker) return;
        this.abandonedSessions.add(session);
        void session.exited.then(() => this.abandonedSessions.delete(session));
      })
      .finally(() => this.releasing.delete(done));
    this.releasing.add(done);
  }

  async stop(): Promise<void> {
    await this.swapping;
    const slot = this.active;
    this.active = undefined;
    if (slot) {
      slot.retired = true;
      this.releaseIfIdle(slot);
    }
    await Promise.all(this.releasing);
    // A worker still in a native run when the process exits is terminated by Node, which aborts
    // the process (onnx-session.ts release()); give abandoned ones a bounded time to stop first.
    const abandoned = [...this.abandonedSessions].map((session) => session.exited);
    if (abandoned.length > 0) await withTimeout(Promise.all(abandoned), ABANDONED_STOP_WAIT_MS, () => new Error('abandoned workers')).catch(() => undefined);
  }
}
