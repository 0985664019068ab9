/**
 * One ONNX model in onnxruntime-node (CPU), run over batches of crops; every output kept as
 * logits. Each crop runs as the spec's test-time views and gets their mean, as on the device.
 */
import ort from 'onnxruntime-node';
import { meanOverViews } from '../../device/inference/combine-views.ts';
import type { TensorInputSpec } from '../../device/vision/types.ts';
import { viewBatch } from '../../device/vision/views.ts';

export interface OutputBatch {
  data: Float32Array;
  /** [N, width] */
  dims: [number, number];
}

export interface ModelRunner {
  inputNames: readonly string[];
  outputNames: readonly string[];
  session: ort.InferenceSession;
  /** Runs crops through the model in batches of batchSize; outputs concatenated in crop order. */
  run(crops: readonly Uint8Array[], spec: TensorInputSpec, batchSize?: number): Promise<Record<string, OutputBatch>>;
  close(): Promise<void>;
}

export interface RunnerOptions {
  threads?: number;
  /** Write the graph onnxruntime actually runs (after its fusions) to this path. */
  optimizedModelFilePath?: string;
}

export async function openModel(modelPath: string, options: RunnerOptions = {}): Promise<ModelRunner> {
  const session = await ort.InferenceSession.create(modelPath, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: options.threads ?? 2,
    interOpNumThreads: 1,
    ...(options.optimizedModelFilePath ? { optimizedModelFilePath: options.optimizedModelFilePath } : {}),
  });
  const inputName = session.inputNames[0];
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    session,
    async run(crops, spec, batchSize = 64) {
      const parts: Record<string, Float32Array[]> = Object.fromEntries(session.outputNames.map((n) => [n, []]));
      const widths: Record<string, number> = {};
      for (let start = 0; start < crops.length; start += batchSize) {
        const batch = viewBatch(crops.slice(start, start + batchSize), spec);
        const result = await session.run({ [inputName]: new ort.Tensor('float32', batch.data, batch.dims) });
        const raw = Object.fromEntries(session.outputNames.map((name) => [name, { data: result[name].data as Float32Array, dims: result[name].dims }]));
        const perStone = meanOverViews(raw, batch.views);
        for (const name of session.outputNames) {
          widths[name] = Number(perStone[name].dims[1]);
          parts[name].push(Float32Array.from(perStone[name].data));
        }
      }
      const out: Record<string, OutputBatch> = {};
      for (const name of session.outputNames) {
        const total = parts[name].reduce((n, p) => n + p.length, 0);
        const data = new Float32Array(total);
        let offset = 0;
        for (const p of parts[name]) {
          data.set(p, offset);
          offset += p.length;
        }
        out[name] = { data, dims: [crops.length, widths[name] ?? 0] };
      }
      return out;
    },
    close: () => session.release(),
  };
}
