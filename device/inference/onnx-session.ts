/**
 * One loaded model: an ONNX Runtime session in its own worker thread, on the first execution
 * provider that works (TensorRT → CUDA → CPU by default), checked against its manifest, warmed
 * up at load, and run with a timeout. `runtime: 'web'` runs the same model on onnxruntime-web
 * (wasm), for the benchmark's comparison.
 */
import { Worker } from 'node:worker_threads';
import { ModelError } from './errors.ts';
import { checkSessionAgainstManifest } from './session-contract.ts';
import { withTimeout } from './timeout.ts';
import type { FromWorker, ProviderAttempt, Runtime, ToWorker } from './worker-protocol.ts';
import type { ModelManifest } from './manifest.ts';
import type { ModelRelease } from './release.ts';

export type { ProviderAttempt, Runtime } from './worker-protocol.ts';

export interface OnnxSessionOptions {
  release: ModelRelease;
  /** Tried in order; the first that creates a session wins. Ignored for runtime 'web' (wasm). */
  providers: readonly string[];
  runTimeoutMs: number;
  runtime?: Runtime;
  /** Intra-op threads; default: ONNX Runtime's choice. */
  threads?: number;
  warmupRuns?: number;
  /** Creating a session (and warming it) may take this long. */
  loadTimeoutMs?: number;
  /** How long release() waits for the worker to finish its current run and stop; default 5 s. */
  releaseGraceMs?: number;
}

export interface TensorInput {
  data: Float32Array;
  dims: readonly number[];
}

export type ModelOutputs = Record<string, { data: Float32Array; dims: readonly number[] }>;

const WORKER_URL = new URL('./ort-worker.mjs', import.meta.url);
/** Input buffers kept for reuse: one per run in flight is plenty. */
const INPUT_POOL_SIZE = 4;

interface Pending {
  resolve: (outputs: ModelOutputs) => void;
  reject: (error: Error) => void;
}

export class OnnxSession {
  private worker: Worker | undefined;
  private providerInUse: string | undefined;
  private attemptLog: readonly ProviderAttempt[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private onLoadReply: ((message: FromWorker) => void) | undefined;
  private onReleased: (() => void) | undefined;
  private timeouts = 0;
  private readonly inputPool: ArrayBuffer[] = [];
  private workerExit: Promise<number> = Promise.resolve(0);
  private abandoned = false;

  constructor(private readonly options: OnnxSessionOptions) {}

  get manifest(): ModelManifest {
    return this.options.release.manifest;
  }

  get releaseDir(): string {
    return this.options.release.dir;
  }

  /** "tensorrt", "cuda", "cpu" or "wasm"; undefined before load. */
  get provider(): string | undefined {
    return this.providerInUse;
  }

  get attempts(): readonly ProviderAttempt[] {
    return this.attemptLog;
  }

  get loaded(): boolean {
    return this.providerInUse !== undefined && this.worker !== undefined;
  }

  /** Runs that overstayed runTimeoutMs since load (a health signal). */
  get timedOutRuns(): number {
    return this.timeouts;
  }

  /**
   * True when release() gave up waiting for a worker busy in a native run and left it to stop
   * by itself (see release()); false once it has.
   */
  get abandonedWorker(): boolean {
    return this.abandoned;
  }

  /** Resolves with the worker thread's exit code once it has stopped (0: it stopped itself). */
  get exited(): Promise<number> {
    return this.workerExit;
  }

  async load(): Promise<void> {
    if (this.worker) return;
    const runtime = this.options.runtime ?? 'node';
    const worker = new Worker(WORKER_URL);
    this.worker = worker;
    this.workerExit = new Promise((resolve) => worker.once('exit', resolve));
    worker.on('message', (message: FromWorker) => this.receive(message));
    worker.on('error', (error) => this.fail(new ModelError('INFERENCE_FAILED', `the inference worker crashed: ${error.message}`, { cause: error })));
    worker.on('exit', () => {
      this.abandoned = false;
      if (this.worker !== worker) return; // released and abandoned earlier; nothing waits on it
      this.worker = undefined;
      this.providerInUse = undefined;
      this.fail(new ModelError('MODEL_NOT_READY', 'the inference worker has stopped'));
      this.onReleased?.();
    });
    const loadTimeoutMs = this.options.loadTimeoutMs ?? 60_000;
    try {
      const reply = await withTimeout(
        new Promise<FromWorker>((resolve) => {
          this.onLoadReply = resolve;
          this.post({ type: 'load', runtime, modelBytes: this.options.release.modelBytes, providers: this.options.providers, threads: this.options.threads });
        }),
        loadTimeoutMs,
        () => new ModelError('MODEL_LOAD_FAILED', `loading ${this.manifest.model} took longer than ${loadTimeoutMs} ms`),
      );
      if (reply.type === 'load-failed') {
        this.attemptLog = reply.attempts;
        const tried = reply.attempts.map((a) => a.provider).join(', ');
        throw reply.code === 'MODEL_NO_PROVIDER'
          ? new ModelError('MODEL_NO_PROVIDER', `no execution provider of [${tried}] could load the model (${reply.message}); add "cpu" to model.providers`)
          : new ModelError('MODEL_LOAD_FAILED', `${this.releaseDir}: ONNX Runtime cannot load ${this.manifest.model}: ${reply.message}`);
      }
      if (reply.type !== 'loaded') throw new ModelError('MODEL_LOAD_FAILED', `unexpected reply from the inference worker: ${reply.type}`);
      this.attemptLog = reply.attempts;
      checkSessionAgainstManifest(reply, this.manifest);
      this.providerInUse = reply.provider;
      await this.warmUp(loadTimeoutMs);
    } catch (error) {
      await this.release();
      throw error;
    } finally {
      this.onLoadReply = undefined;
    }
  }

  /**
   * The first runs allocate and tune kernels; they get the load timeout, not the run timeout.
   * They use the batch a grade runs: one row per test-time view.
   */
  private async warmUp(timeoutMs: number): Promise<void> {
    const size = this.manifest.input.size;
    const rows = this.manifest.input.views?.length ?? 1;
    for (let i = 0; i < (this.options.warmupRuns ?? 2); i++) await this.run({ data: new Float32Array(rows * 3 * size * size), dims: [rows, 3, size, size] }, timeoutMs);
  }

  /**
   * One inference. Rejects with INFERENCE_TIMEOUT after runTimeoutMs; the abandoned run still
   * finishes on the worker and its result is dropped.
   */
  run(input: TensorInput, timeoutMs = this.options.runTimeoutMs): Promise<ModelOutputs> {
    if (!this.worker || !this.providerInUse) return Promise.reject(new ModelError('MODEL_NOT_READY', 'the model session is not loaded'));
    const id = this.nextId++;
    const data = this.transferableCopy(input.data);
    const result = new Promise<ModelOutputs>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post({ type: 'run', id, inputName: this.manifest.input.name, data, dims: [...input.dims] }, [data.buffer as ArrayBuffer]);
    });
    const ms = timeoutMs;
    return withTimeout(result, ms, () => {
      this.pending.delete(id);
      this.timeouts++;
      return new ModelError('INFERENCE_TIMEOUT', `inference took longer than ${ms} ms (model.runTimeoutMs)`);
    });
  }

  /**
   * The caller keeps its tensor; a copy is transferred to the worker, which hands the buffer
   * back with the result. Reusing those buffers keeps a grade from leaving ~1 MB (four views at
   * 144 px) of ArrayBuffer for the garbage collector on each thread, which showed as RSS.
   */
  private transferableCopy(source: Float32Array): Float32Array {
    const index = this.inputPool.findIndex((buffer) => buffer.byteLength === source.byteLength);
    const buffer = index >= 0 ? this.inputPool.splice(index, 1)[0] : new ArrayBuffer(source.byteLength);
    const copy = new Float32Array(buffer);
    copy.set(source);
    return copy;
  }

  private reclaim(input: Float32Array | undefined): void {
    if (input && this.inputPool.length < INPUT_POOL_SIZE) this.inputPool.push(input.buffer as ArrayBuffer);
  }

  /**
   * Asks the worker to release its session and stop, after the run it may be in. A worker that
   * has not stopped within the grace period is in a long or hung native run. It is never
   * terminated: Worker.terminate() in the middle of a native onnxruntime run can abort the whole
   * process ("terminate called after throwing an instance of 'Napi::Error'"). Instead this session
   * lets go of it: unref'd, it cannot keep the process alive, and it stops by itself when its run
   * ends and it reads the queued release. Until then `abandonedWorker` is true.
   */
  async release(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const stopped = new Promise<void>((resolve) => {
      this.onReleased = resolve;
    });
    this.post({ type: 'release' });
    const graceMs = this.options.releaseGraceMs ?? 5000;
    const inTime = await withTimeout(stopped.then(() => true), graceMs, () => new Error('release timed out')).catch(() => false);
    if (inTime || this.worker !== worker) return;
    this.abandoned = true;
    worker.unref();
    this.worker = undefined;
    this.providerInUse = undefined;
    this.onReleased = undefined;
    this.fail(new ModelError('MODEL_NOT_READY', 'the model session was released'));
  }

  private post(message: ToWorker, transfer: ArrayBuffer[] = []): void {
    this.worker?.postMessage(message, transfer);
  }

  private receive(message: FromWorker): void {
    if (message.type === 'loaded' || message.type === 'load-failed') {
      this.onLoadReply?.(message);
      return;
    }
    if (message.type === 'released') return; // the 'exit' event follows
    this.reclaim(message.input);
    const pending = this.pending.get(message.id);
    if (!pending) return; // timed out earlier
    this.pending.delete(message.id);
    if (message.type === 'result') pending.resolve(message.outputs);
    else pending.reject(new ModelError('INFERENCE_FAILED', `inference failed: ${message.message}`));
  }

  private fail(error: ModelError): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
    this.onLoadReply?.({ type: 'load-failed', code: 'MODEL_LOAD_FAILED', message: error.message, attempts: [] });
  }
}
