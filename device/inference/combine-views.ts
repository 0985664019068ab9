/**
 * Averages a model's outputs over the test-time views of each stone (device/vision/views.ts):
 * rows [n × views, (n + 1) × views) of every output belong to stone n, and their mean (of
 * logits, and of the standardised proportions) is that stone's output, as the trainer scored it.
 */
import type { ModelOutputs } from './onnx-session.ts';

export function meanOverViews(outputs: ModelOutputs, views: number): ModelOutputs {
  if (views === 1) return outputs;
  const combined: ModelOutputs = {};
  for (const [name, { data, dims }] of Object.entries(outputs)) {
    const rows = dims[0];
    const width = rows === 0 ? 0 : data.length / rows;
    if (rows % views !== 0) throw new Error(`output ${name} has ${rows} rows, not a multiple of ${views} views`);
    const stones = rows / views;
    const mean = new Float32Array(stones * width);
    for (let s = 0; s < stones; s++) {
      for (let v = 0; v < views; v++) {
        const from = (s * views + v) * width;
        for (let w = 0; w < width; w++) mean[s * width + w] += data[from + w];
      }
      for (let w = 0; w < width; w++) mean[s * width + w] /= views;
    }
    combined[name] = { data: mean, dims: [stones, ...dims.slice(1)] };
  }
  return combined;
}
