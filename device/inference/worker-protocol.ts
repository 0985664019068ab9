/** Messages between OnnxSession (main thread) and ort-worker.mjs. */
import type { ValueInfo } from './session-contract.ts';

export type Runtime = 'node' | 'web';
export type ProviderAttempt = { provider: string; ok: boolean; reason?: string };

export type ToWorker =
  | { type: 'load'; runtime: Runtime; modelBytes: Uint8Array; providers: readonly string[]; threads?: number }
  | { type: 'run'; id: number; inputName: string; data: Float32Array; dims: readonly number[] }
  | { type: 'release' };

export type FromWorker =
  | {
      type: 'loaded';
      provider: string;
      attempts: ProviderAttempt[];
      inputNames: string[];
      outputNames: string[];
      inputMetadata: ValueInfo[];
      outputMetadata: ValueInfo[];
    }
  | { type: 'load-failed'; code: 'MODEL_LOAD_FAILED' | 'MODEL_NO_PROVIDER'; message: string; attempts: ProviderAttempt[] }
  | { type: 'result'; id: number; outputs: Record<string, { data: Float32Array; dims: number[] }>; input?: Float32Array }
  | { type: 'run-failed'; id: number; message: string; input?: Float32Array }
  | { type: 'released' };
