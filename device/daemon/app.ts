/**
 * The daemon, wired in one place: grading core (identity, store, model), camera, sync agent,
 * HTTP + WebSocket API, retention sweep. start() brings them up in order; stop() takes them
 * down in reverse, each step with a deadline.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { ApiServer } from '../api/server.ts';
import type { ApiServices, GradeResult, Health, SocketMessage } from '../api/types.ts';
import { createCamera, detectCamera } from '../camera/factory.ts';
import type { Camera } from '../camera/types.ts';
import type { LoupeConfig } from '../config/schema.ts';
import { withTimeout } from '../inference/timeout.ts';
import type { ModelHost } from '../inference/model-host.ts';
import { applyRetention } from '../store/retention.ts';
import { sweepOrphanFrames } from '../store/orphan-frames.ts';
import type { GradeStore } from '../store/grade-store.ts';
import type { Outbox } from '../store/outbox.ts';
import { CameraSupervisor } from './camera-supervisor.ts';
import { GradingCore } from './grading-core.ts';
import { jsonLog, type Log } from './log.ts';
import type { RolledBackRelease } from '../inference/probation-store.ts';
import { historyTimeZone } from '../store/local-day.ts';

/** What the daemon needs from a sync agent (cloud-sync/agent plugs in here). */
export interface SyncAgentHandle {
  start(): void | Promise<void>;
  stop(): Promise<void>;
  status(): { state: 'offline' | 'connecting' | 'online'; backlog: number; refusedByHq?: { code: string } | null };
  /** Called after each committed grade, so the agent need not wait for its next poll. */
  notify?(): void;
}

export interface SyncContext {
  config: LoupeConfig;
  store: GradeStore;
  outbox: Outbox;
  identity: { deviceId: string; storeId: string };
  models: ModelHost;
  /** Swaps in a release from HQ; one it announced goes on probation (GradingCore.installRelease). */
  installRelease: (dir: string, how: 'announcement' | 'pin') => Promise<unknown>;
  /** Hears of each release the device rolls back after it failed in service. */
  onRollback: (listener: (entry: RolledBackRelease) => void) => () => void;
  modelVersion: () => string | null;
}

export type SyncAgentFactory = (context: SyncContext) => SyncAgentHandle | Promise<SyncAgentHandle>;

/** The default: cloud-sync's agent plus its disk guard (offline when sync.brokerUrl is null). */
export const cloudSyncAgentFactory: SyncAgentFactory = async (context) => {
  const { createDeviceSync } = await import('../../cloud-sync/agent/index.ts');
  return createDeviceSync({
    config: context.config,
    store: context.store,
    identity: context.identity,
    modelVersion: context.modelVersion,
    models: {
      current: () => context.models.info() ?? null,
      install: async (dir, how) => void (await context.installRelease(dir, how)),
      onRollback: context.onRollback,
    },
  });
};

export interface AppOptions {
  config: LoupeConfig;
  syncAgentFactory?: SyncAgentFactory | null;
  /** A camera instead of the one config.camera.spec names (tests, benches). */
  camera?: Camera;
  log?: Log;
  statusIntervalMs?: number;
}

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const STEP_TIMEOUT_MS = 5000;
const STARTUP_WAIT_MS = 30_000;

export class LoupeApp {
  readonly core: GradingCore;
  private readonly log: Log;
  private camera: CameraSupervisor | undefined;
  private sync: SyncAgentHandle | undefined;
  private api: ApiServer | undefined;
  private timers: NodeJS.Timeout[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private startedAt = 0;
  private stopping = false;
  private modelError: string | undefined;
  private modelLoading: Promise<void> = Promise.resolve();
  private cameraStarting: Promise<void> = Promise.resolve();

  constructor(private readonly options: AppOptions) {
    this.log = options.log ?? jsonLog('daemon');
    this.core = new GradingCore(options.config, { log: this.log, probation: true });
  }

  get url(): string {
    if (!this.api) throw new Error('the daemon is not started');
    return this.api.url;
  }

  get models(): ModelHost {
    return this.core.models;
  }

  async start(): Promise<string> {
    this.startedAt = Date.now();
    const { config } = this.options;
    // libvips' operation cache holds decoded frames we never reuse; off, it saves ~20 MB of RSS.
    sharp.cache(false);
    await this.core.openLocal();
    // The model loads in its worker thread while the main thread brings up camera, API and sync.
    this.modelLoading = this.core.loadModel().then(
      (model) => {
        for (const skipped of this.core.skippedReleases) this.log('model.release_skipped', skipped);
        this.log('model.loaded', { ...model, sinceProcessStartMs: Math.round(performance.now()) });
      },
      (error: unknown) => {
        // A bad model must not take the kiosk and the history down with it: serve, and say so.
        this.modelError = `${(error as { code?: string }).code ?? 'MODEL_LOAD_FAILED'}: ${(error as Error).message}`;
        this.log('model.unavailable', { message: this.modelError });
      },
    );
    const calibration = await this.core.calibration.load();
    const spec = config.camera.spec === 'auto' ? await detectCamera() : config.camera.spec;
    const camera = this.options.camera ?? createCamera(spec, { mmPerPx: calibration.mmPerPx });
    this.camera = new CameraSupervisor(camera, { captureTimeoutMs: config.camera.captureTimeoutMs, log: this.log });
    this.cameraStarting = this.camera.start();

    this.api = new ApiServer({ services: this.services(), port: config.http.port, greeting: () => this.statusMessage(), log: this.log });
    await this.api.start();
    await this.startSync();
    await Promise.all([this.modelLoading, this.cameraStarting]);
    this.every(this.options.statusIntervalMs ?? 5000, () => this.api?.broadcast(this.statusMessage()));
    this.every(config.retention.sweepIntervalMin * 60_000, () => this.sweepRetention());
    this.sweepRetention();
    this.log('daemon.listening', { url: this.api.url, sinceProcessStartMs: Math.round(performance.now()), startMs: Date.now() - this.startedAt });
    return this.api.url;
  }

  private async startSync(): Promise<void> {
    if (this.options.syncAgentFactory === null) return;
    const factory = this.options.syncAgentFactory ?? cloudSyncAgentFactory;
    const { deviceId, storeId } = this.core.identity;
    this.sync = await factory({
      config: this.options.config,
      store: this.core.store,
      outbox: this.core.store.outbox,
      identity: { deviceId, storeId },
      models: this.core.models,
      installRelease: (dir, how) => this.core.installRelease(dir, how),
      onRollback: (listener) => this.core.releases.onRollback(listener),
      modelVersion: () => {
        const info = this.core.models.info();
        return info ? `${info.name}@${info.version}` : null;
      },
    });
    await this.sync.start();
  }

  private every(ms: number, task: () => void): void {
    const timer = setInterval(task, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private sweepRetention(): void {
    try {
      const orphans = sweepOrphanFrames(this.core.store);
      if (orphans.length > 0) this.log('retention.orphan-frames', { removed: orphans.length });
      const plan = applyRetention(this.core.store, this.options.config.retention);
      if (plan.dropFrames.length + plan.dropThumbnails.length > 0) {
        this.log('retention.applied', { frames: plan.dropFrames.length, thumbnails: plan.dropThumbnails.length, ...plan.reason });
      }
    } catch (error) {
      this.log('retention.failed', { message: (error as Error).message });
    }
  }

  health(): Health {
    const model = this.core.models.info();
    const sync = this.sync?.status();
    const camera = { kind: this.camera?.kind ?? 'none', ready: this.camera?.ready ?? false };
    return {
      ok: model !== undefined && camera.ready && !this.stopping,
      version: PACKAGE_VERSION,
      uptimeS: Math.round((Date.now() - this.startedAt) / 1000),
      model: model ? { name: model.name, version: model.version, provider: model.provider, trainedOn: model.trainedOn } : { name: 'none', version: '-', provider: 'none', trainedOn: this.modelError ?? 'no model loaded' },
      camera,
      inference: { replacedWorkers: this.core.models.replacements, abandonedWorkers: this.core.models.abandonedWorkers },
      sync: { state: sync?.state ?? 'offline', backlog: sync?.backlog ?? this.core.store.outbox.backlog().count, refused: sync?.refusedByHq?.code ?? null },
    };
  }

  private statusMessage(): SocketMessage {
    return { type: 'status', health: this.health() };
  }

  /** Capture → grade → store → tell the kiosk and the sync agent. */
  async grade(): Promise<GradeResult> {
    if (this.stopping) throw Object.assign(new Error('the daemon is shutting down'), { code: 'SHUTTING_DOWN' });
    // A grade asked for while the daemon is still starting waits for the model and camera (bounded).
    await withTimeout(Promise.all([this.modelLoading, this.cameraStarting]), STARTUP_WAIT_MS, () => new Error('startup wait')).catch(() => undefined);
    if (!this.core.models.ready) throw Object.assign(new Error(`no model is loaded${this.modelError ? ` (${this.modelError})` : ''}`), { code: 'MODEL_NOT_READY' });
    const work = (async () => {
      const frame = await this.camera!.capture();
      const outcome = await this.core.grade({ data: frame.data });
      // A replay tray moves on to its next stone once this one is graded (or refused). Never
      // fails the grade.
      void this.camera!.nextStone().catch((error: unknown) => this.log('camera.next-stone-failed', { message: (error as Error).message }));
      if (outcome.ok) {
        this.sync?.notify?.();
        this.api?.broadcast({ type: 'grade', record: outcome.record });
        this.log('grade.stored', { id: outcome.record.id, ms: Math.round(outcome.timings.total ?? 0) });
        return { ok: true as const, record: outcome.record };
      }
      this.api?.broadcast({ type: 'rejected', error: outcome.error });
      this.log('grade.refused', { code: outcome.error.code, source: frame.source });
      return { ok: false as const, error: outcome.error };
    })();
    this.inFlight.add(work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(work);
    }
  }

  private services(): ApiServices {
    const store = this.core.store;
    return {
      health: () => this.health(),
      grade: () => this.grade(),
      listGrades: (query) => store.list({ ...query, timeZone: historyTimeZone(this.options.config.history.timeZone) }),
      getGrade: (id) => store.get(id),
      thumbnail: (id) => store.thumbnail(id),
      preview: () => this.camera!.previewJpeg(),
    };
  }

  /** Reverse order: no new requests, let grades in flight commit, then sync, camera, model, store. */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    const step = async (name: string, task: () => Promise<unknown> | undefined) => {
      try {
        await withTimeout(Promise.resolve(task()), STEP_TIMEOUT_MS, () => new Error(`${name} did not stop within ${STEP_TIMEOUT_MS} ms`));
      } catch (error) {
        this.log('daemon.stop-step-failed', { step: name, message: (error as Error).message });
      }
    };
    await step('api', () => this.api?.stop());
    await step('grades in flight', () => Promise.allSettled([...this.inFlight]));
    await step('sync', () => this.sync?.stop());
    await step('camera', () => this.camera?.stop());
    await step('model and store', () => this.core.stop());
    this.log('daemon.stopped');
  }
}
