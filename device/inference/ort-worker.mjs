// @ts-check
/**
 * The ONNX Runtime worker thread. onnxruntime-node runs a session synchronously on the thread
 * that calls it, so the daemon keeps it here: the HTTP server stays responsive during
 * inference and a run that overstays its timeout can be abandoned. Plain JavaScript so the
 * thread starts in ~80 ms without a TypeScript loader. Messages: see worker-protocol.ts.
 */
import { parentPort } from 'node:worker_threads';

if (!parentPort) throw new Error('ort-worker.mjs must run as a worker thread');
const port = parentPort;

/** @type {any} */ let ort;
/** @type {any} */ let session;

const firstLine = (/** @type {unknown} */ e) => String(/** @type {any} */ (e)?.message ?? e).split('\n')[0];
const metadataOf = (/** @type {any[]} */ list) =>
  list.map((m) => (m.isTensor ? { name: m.name, isTensor: true, type: m.type, shape: [...m.shape] } : { name: m.name, isTensor: false }));

async function load(/** @type {any} */ message) {
  if (message.runtime === 'web') {
    ort = await import('onnxruntime-web');
    ort.env.wasm.numThreads = message.threads ?? 1;
  } else {
    ort = await import('onnxruntime-node');
  }
  ort.env.logLevel = 'fatal'; // a missing GPU provider is an expected miss, not an error to print
  const providers = message.runtime === 'web' ? ['wasm'] : message.providers;
  const attempts = [];
  for (const provider of providers) {
    try {
      session = await ort.InferenceSession.create(message.modelBytes, {
        executionProviders: [provider],
        graphOptimizationLevel: 'all',
        logSeverityLevel: 4,
        // ORT's pool threads spin after each run; on a 2-core box that starves the main thread's
        // decode and gate (measured: grade p50 96 → 43 ms). The model is small; no spin needed.
        extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
        ...(message.threads !== undefined && message.runtime !== 'web' && { intraOpNumThreads: message.threads }),
      });
      attempts.push({ provider, ok: true });
      port.postMessage({
        type: 'loaded',
        provider,
        attempts,
        inputNames: [...session.inputNames],
        outputNames: [...session.outputNames],
        inputMetadata: metadataOf(session.inputMetadata),
        outputMetadata: metadataOf(session.outputMetadata),
      });
      return;
    } catch (error) {
      attempts.push({ provider, ok: false, reason: firstLine(error) });
      // The CPU provider is always there, so a CPU failure is the model's fault.
      if (provider === 'cpu' || provider === 'wasm') {
        port.postMessage({ type: 'load-failed', code: 'MODEL_LOAD_FAILED', message: firstLine(error), attempts });
        return;
      }
    }
  }
  port.postMessage({ type: 'load-failed', code: 'MODEL_NO_PROVIDER', message: attempts.at(-1)?.reason ?? 'no providers given', attempts });
}

async function run(/** @type {any} */ message) {
  try {
    const results = await session.run({ [message.inputName]: new ort.Tensor('float32', message.data, message.dims) });
    /** @type {Record<string, { data: Float32Array; dims: number[] }>} */
    const outputs = {};
    const transfer = [];
    for (const [name, tensor] of Object.entries(results)) {
      if (tensor.type !== 'float32') continue;
      const data = /** @type {Float32Array} */ (tensor.data).slice();
      outputs[name] = { data, dims: [...tensor.dims] };
      transfer.push(data.buffer);
    }
    // The input buffer goes back too, for the main thread to reuse (onnx-session.ts).
    port.postMessage({ type: 'result', id: message.id, outputs, input: message.data }, [...transfer, message.data.buffer]);
  } catch (error) {
    port.postMessage({ type: 'run-failed', id: message.id, message: firstLine(error), input: message.data }, [message.data.buffer]);
  }
}

port.on('message', (message) => {
  if (message.type === 'load') void load(message);
  else if (message.type === 'run') void run(message);
  else if (message.type === 'release') {
    Promise.resolve(session?.release())
      .catch(() => undefined)
      .finally(() => {
        session = undefined;
        port.postMessage({ type: 'released' });
        port.close();
      });
  }
});
