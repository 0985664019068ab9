/**
 * What grading needs, opened together: config-driven model host, grade store, device identity
 * and calibration. The daemon (app.ts) and `loupe grade` both start one of these.
 */
import { statSync } from 'node:fs';
import { CalibrationStore } from '../calibration/store.ts';
import type { LoupeConfig } from '../config/schema.ts';
import { ModelHost, type ModelInfo } from '../inference/model-host.ts';
import type { Runtime } from '../inference/onnx-session.ts';
import { bundledReleaseDir } from '../inference/release.ts';
import { GradeStore } from '../store/grade-store.ts';
import { loadOrCreateIdentity, type DeviceIdentity } from '../../provisioning/identity.ts';
import { gradeFrame, type FrameInput, type GradeOutcome, type PipelineDeps } from './grade-pipeline.ts';

export class GradingCore {
  readonly store: GradeStore;
  readonly models: ModelHost;
  readonly calibration: CalibrationStore;
  private identityLoaded: DeviceIdentity | undefined;
  private calibrationCache: { stamp: string; mmPerPx: number } | undefined;

  /** `runtime: 'web'` grades on onnxruntime-web (wasm), for the benchmark's comparison. */
  constructor(
    readonly config: LoupeConfig,
    options: { runtime?: Runtime; threads?: number } = {},
  ) {
    this.store = new GradeStore(config.dataDir);
    this.models = new ModelHost({ providers: config.model.providers, runTimeoutMs: config.model.runTimeoutMs, runtime: options.runtime, threads: options.threads });
    this.calibration = new CalibrationStore(config.dataDir);
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

  /** The configured release, or the newest bundled one. */
  loadModel(): Promise<ModelInfo> {
    return this.models.load(this.config.model.releaseDir ?? bundledReleaseDir());
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

  async stop(): Promise<void> {
    await this.models.stop();
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

  grade(frame: FrameInput): Promise<GradeOutcome> {
    return gradeFrame(this.deps(), frame);
  }
}
