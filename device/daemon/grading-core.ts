/**
 * What grading needs, opened together: config-driven model host, grade store, device identity
 * and calibration. The daemon (app.ts) and `loupe grade` both start one of these.
 */
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { readReleasePin } from '../inference/release-pin.ts';
import { CalibrationStore } from '../calibration/store.ts';
import type { LoupeConfig } from '../config/schema.ts';
import { ModelError } from '../inference/errors.ts';
import { ModelHost, type ModelInfo } from '../inference/model-host.ts';
import type { Runtime } from '../inference/onnx-session.ts';
import { downloadedReleasesDir, releaseDirsNewestFirst, RELEASES_ROOT } from '../inference/release.ts';
import { GradeStore } from '../store/grade-store.ts';
import { loadOrCreateIdentity, type DeviceIdentity } from '../../provisioning/identity.ts';
import { MODEL_FAILURE_CODES } from '../inference/probation.ts';
import { gradeFrame, type FrameInput, type GradeOutcome, type PipelineDeps } from './grade-pipeline.ts';
import { silentLog, type Log } from './log.ts';
import { ReleaseGuard } from './release-guard.ts';

export class GradingCore {
  readonly store: GradeStore;
  readonly models: ModelHost;
  readonly calibration: CalibrationStore;
  /** Probation and automatic rollback of releases taken from HQ. */
  readonly releases: ReleaseGuard;
  private identityLoaded: DeviceIdentity | undefined;
  private calibrationCache: { stamp: string; mmPerPx: number } | undefined;

  /** `runtime: 'web'` grades on onnxruntime-web (wasm), for the benchmark's comparison. */
  constructor(
    readonly config: LoupeConfig,
    options: {
      runtime?: Runtime;
      threads?: number;
      log?: Log;
      /**
       * Keep releases from HQ on probation (release-guard.ts): the daemon does. A one-off process on
       * the same data dir (`loupe grade`, a bench) must not, or it would count the running daemon
       * as crashed and clear its boot counter; it still never starts on a rolled-back release.
       */
      probation?: boolean;
    } = {},
  ) {
    this.store = new GradeStore(config.dataDir);
    this.models = new ModelHost({ providers: config.model.providers, runTimeoutMs: config.model.runTimeoutMs, runtime: options.runtime, threads: options.threads });
    this.calibration = new CalibrationStore(config.dataDir);
    this.releases = new ReleaseGuard({ dataDir: config.dataDir, models: this.models, policy: options.probation ? config.model.probation : { ...config.model.probation, grades: 0 }, log: options.log ?? silentLog, loadFallback: () => this.loadModel() });
  }

  get identity(): DeviceIdentity {
    if (!this.identityLoaded) throw new Error('the grading core is not started');
    return this.identityLoaded;
  }

  /** Identity, store and calibration: fast, local, and fatal when broken. */
  async openLocal(): Promise<void> {
    this.identityLoaded = loadOrCreateIdentity(this.config.dataDir, this.config.identity);
    this.store.open();
    try {
      await this.calibration.load(); // a broken calibration file is refused at start, not at the first grade
    } catch (error) {
      this.store.close();
      throw error;
    }
  }

  /** Releases passed over at the last start because they would not load (the next one was tried). */
  readonly skippedReleases: Array<{ dir: string; code: string; message: string }> = [];

  /**
   * The configured release; else the one HQ pinned, if it loads; else the newest that loads (and
   * passes its golden set) of those received over MQTT (<data>/releases) and those bundled.
   */
  async loadModel(): Promise<ModelInfo> {
    if (this.config.model.releaseDir) return this.models.load(this.config.model.releaseDir);
    this.releases.beforeStart();
    const onDisk = releaseDirsNewestFirst([downloadedReleasesDir(this.config.dataDir), RELEASES_ROOT]);
    // Releases this device rolled back are left out, unless nothing else is left: a suspect model grades, none does not.
    const kept = this.releases.withoutRolledBack(onDisk);
    const all = kept.length > 0 ? kept : onDisk;
    // HQ's rollback pin, if any, goes first; the newest releases stay behind it as fallbacks.
    const pin = readReleasePin(this.config.dataDir);
    const pinned = pin ? all.filter((dir) => basename(dir) === `${pin.name}-${pin.version}`) : [];
    const candidates = [...pinned, ...all.filter((dir) => !pinned.includes(dir))];
    let firstError: unknown;
    for (const dir of candidates) {
      try {
        const info = await this.models.load(dir);
        this.releases.afterStart(info);
        return info;
      } catch (error) {
        firstError ??= error;
        const e = error as { code?: string; message?: string };
        this.skippedReleases.push({ dir, code: e.code ?? 'MODEL_LOAD_FAILED', message: e.message ?? String(error) });
      }
    }
    throw firstError ?? new ModelError('RELEASE_NOT_FOUND', `no model release under ${downloadedReleasesDir(this.config.dataDir)} or ${RELEASES_ROOT}; train one (npm run train) or pass --model DIR`);
  }

  async start(): Promise<ModelInfo> {
    await this.openLocal();
    try {
      return await this.loadModel();
    } catch (error) {
      this.store.close();
      throw error;
    }
  }

  /**
   * Swaps in a release from HQ: one it announced goes on probation against the model it replaces;
   * one it pinned (its rollback) does not.
   */
  async installRelease(dir: string, how: 'announcement' | 'pin'): Promise<ModelInfo> {
    const previousDir = this.models.info()?.releaseDir ?? null;
    const info = await this.models.load(dir);
    if (how === 'announcement' && previousDir !== info.releaseDir) this.releases.begin(info, previousDir);
    else this.releases.end();
    return info;
  }

  async stop(): Promise<void> {
    await this.releases.settled();
    await this.models.stop();
    this.releases.stoppedCleanly();
    this.store.close();
  }

  private deps(): PipelineDeps {
    const id = this.identity;
    return {
      models: this.models,
      store: this.store,
      signer: { deviceId: id.deviceId, storeId: id.storeId, keyId: id.keyId, privateKey: id.privateKey },
      mmPerPx: () => this.currentMmPerPx(),
    };
  }

  /** The calibration, re-read only when its file changes (a stat per grade, not a read). */
  private async currentMmPerPx(): Promise<number> {
    let stamp = 'absent';
    try {
      const stats = statSync(this.calibration.path);
      stamp = `${stats.mtimeMs}:${stats.size}`;
    } catch {
      // no file: the default calibration
    }
    if (!this.calibrationCache || this.calibrationCache.stamp !== stamp) {
      this.calibrationCache = { stamp, mmPerPx: (await this.calibration.load()).mmPerPx };
    }
    return this.calibrationCache.mmPerPx;
  }

  /** One grade; its inference, good or failed, counts toward the probation of the release that ran it. */
  async grade(frame: FrameInput): Promise<GradeOutcome> {
    const releaseDir = this.models.info()?.releaseDir;
    try {
      const outcome = await gradeFrame(this.deps(), frame);
      if (outcome.ok && releaseDir) this.releases.record(releaseDir, { ok: true });
      return outcome;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (releaseDir && typeof code === 'string' && MODEL_FAILURE_CODES.has(code)) this.releases.record(releaseDir, { ok: false, code });
      throw error;
    }
  }
}
