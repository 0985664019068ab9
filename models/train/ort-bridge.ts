/**
 * The trainer's way into onnxruntime-node (there is no onnxruntime for Python here).
 *
 *   node --import tsx models/train/ort-bridge.ts --model M.onnx --crops crops.u8 --count N
 *        --spec spec.json --out DIR [--optimized OPT.onnx] [--latency RUNS] [--threads T]
 *
 * crops.u8 holds N packed RGB8 crops of spec.size²; spec.json is the manifest's `input`.
 * Writes DIR/<output>.f32 (row-major [N, width], little-endian float32) for every output and
 * DIR/info.json: input/output names, output widths, and (with --latency) batch-1 latency.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openModel } from '../eval/model-runner.ts';
import type { TensorInputSpec } from '../../device/vision/types.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string' },
    crops: { type: 'string' },
    count: { type: 'string' },
    spec: { type: 'string' },
    out: { type: 'string' },
    optimized: { type: 'string' },
    latency: { type: 'string' },
    threads: { type: 'string' },
  },
});
for (const required of ['model', 'crops', 'count', 'spec', 'out'] as const) {
  if (!values[required]) throw new Error(`--${required} is required`);
}
const spec = JSON.parse(readFileSync(values.spec!, 'utf8')) as TensorInputSpec;
const count = Number(values.count);
const bytes = readFileSync(values.crops!);
const cropBytes = spec.size * spec.size * 3;
if (bytes.length !== count * cropBytes) throw new Error(`crops file has ${bytes.length} bytes, expected ${count} × ${cropBytes}`);
const crops = Array.from({ length: count }, (_, i) => new Uint8Array(bytes.buffer, bytes.byteOffset + i * cropBytes, cropBytes));

const runner = await openModel(values.model!, { threads: values.threads ? Number(values.threads) : 2, optimizedModelFilePath: values.optimized });
const outputs = await runner.run(crops, spec);
mkdirSync(values.out!, { recursive: true });
const widths: Record<string, number> = {};
for (const [name, output] of Object.entries(outputs)) {
  widths[name] = output.dims[1];
  writeFileSync(join(values.out!, `${name}.f32`), Buffer.from(output.data.buffer, output.data.byteOffset, output.data.byteLength));
}
const info: Record<string, unknown> = { inputNames: runner.inputNames, outputNames: runner.outputNames, widths };
if (values.latency) {
  const runs = Number(values.latency);
  const times: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    const started = process.hrtime.bigint();
    await runner.run([crops[i % count]], spec, 1);
    if (i >= 3) times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  info.latencyMs = { median: times[Math.floor(times.length / 2)], p90: times[Math.floor(times.length * 0.9)], runs };
}
writeFileSync(join(values.out!, 'info.json'), JSON.stringify(info, null, 2));
await runner.close();
