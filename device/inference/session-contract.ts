/**
 * Does a loaded ONNX session match its manifest? Checked against the session's own names and
 * value metadata, so a manifest that lies about the model is refused before any grade.
 */
import { ModelError } from './errors.ts';
import type { ModelManifest } from './manifest.ts';

export interface ValueInfo {
  name: string;
  isTensor: boolean;
  type?: string;
  shape?: ReadonlyArray<number | string>;
}

export interface SessionShape {
  inputNames: readonly string[];
  outputNames: readonly string[];
  inputMetadata: readonly ValueInfo[];
  outputMetadata: readonly ValueInfo[];
}

const fixed = (d: number | string | undefined): d is number => typeof d === 'number' && d > 0;

/** Matches when the model's dimension is the expected size, or symbolic/unknown. */
function dimFits(actual: number | string | undefined, expected: number): boolean {
  return !fixed(actual) || actual === expected;
}

export function checkSessionAgainstManifest(session: SessionShape, manifest: ModelManifest): void {
  const { input } = manifest;
  if (session.inputNames.length !== 1 || session.inputNames[0] !== input.name) {
    throw new ModelError('MODEL_INPUT_MISMATCH', `the manifest's input is "${input.name}" but the model takes [${session.inputNames.join(', ')}]`);
  }
  const inputMeta = session.inputMetadata.find((m) => m.name === input.name);
  if (inputMeta?.isTensor) {
    if (inputMeta.type !== undefined && inputMeta.type !== input.dtype) {
      throw new ModelError('MODEL_INPUT_MISMATCH', `input "${input.name}" is ${inputMeta.type}, the manifest says ${input.dtype}`);
    }
    const shape = inputMeta.shape ?? [];
    const expected = [3, input.size, input.size];
    if (shape.length > 0 && (shape.length !== 4 || !expected.every((e, i) => dimFits(shape[i + 1], e)))) {
      throw new ModelError('MODEL_INPUT_MISMATCH', `input "${input.name}" has shape [${shape.join(', ')}], the manifest says [N, 3, ${input.size}, ${input.size}]`);
    }
    if (fixed(shape[0]) && shape[0] !== 1) {
      throw new ModelError('MODEL_INPUT_MISMATCH', `input "${input.name}" has a fixed batch of ${shape[0]}; expected a dynamic batch or 1`);
    }
  }
  const wanted: Array<{ output: string; width: number; what: string }> = [
    ...(['colour', 'clarity', 'cut'] as const).map((h) => ({ output: manifest.heads[h].output, width: manifest.heads[h].labels.length, what: `head ${h}` })),
    ...(manifest.regression ? [{ output: manifest.regression.output, width: manifest.regression.names.length, what: 'regression' }] : []),
  ];
  for (const { output, width, what } of wanted) {
    if (!session.outputNames.includes(output)) {
      throw new ModelError('MODEL_OUTPUT_MISMATCH', `${what} reads output "${output}" but the model gives [${session.outputNames.join(', ')}]`);
    }
    const meta = session.outputMetadata.find((m) => m.name === output);
    const shape = meta?.isTensor ? (meta.shape ?? []) : [];
    if (shape.length > 0 && (shape.length !== 2 || !dimFits(shape[1], width))) {
      throw new ModelError('MODEL_OUTPUT_MISMATCH', `output "${output}" has shape [${shape.join(', ')}], ${what} needs [N, ${width}]`);
    }
  }
}
