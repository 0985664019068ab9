/**
 * Writes a tiny ONNX model by hand (protobuf encoded here, no Python needed), for tests that
 * need a model the committed release cannot be: a wrong output name, a wrong class count.
 * Never shipped. Graph: image [N,3,S,S] → GlobalAveragePool → Flatten → one Gemm per head.
 */
type Field = Buffer;

function varint(n: number | bigint): Buffer {
  let v = BigInt(n);
  const bytes: number[] = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    bytes.push(b);
  } while (v > 0n);
  return Buffer.from(bytes);
}
const key = (field: number, wire: number) => varint((field << 3) | wire);
const int = (field: number, n: number): Field => Buffer.concat([key(field, 0), varint(n)]);
const bytes = (field: number, data: Buffer | string): Field => {
  const b = typeof data === 'string' ? Buffer.from(data) : data;
  return Buffer.concat([key(field, 2), varint(b.length), b]);
};
const msg = (field: number, ...parts: Field[]): Field => bytes(field, Buffer.concat(parts));

function dim(d: number | string): Field {
  return typeof d === 'number' ? msg(1, int(1, d)) : msg(1, bytes(2, d));
}
function valueInfo(field: number, name: string, shape: Array<number | string>): Field {
  return msg(field, bytes(1, name), msg(2, msg(1, int(1, 1), msg(2, ...shape.map(dim)))));
}
function tensor(name: string, dims: number[], values: Float32Array): Field {
  return msg(5, ...dims.map((d) => int(1, d)), int(2, 1), bytes(8, name), bytes(9, Buffer.from(values.buffer, values.byteOffset, values.byteLength)));
}
function node(op: string, inputs: string[], outputs: string[], attributes: Field[] = []): Field {
  return msg(1, ...inputs.map((i) => bytes(1, i)), ...outputs.map((o) => bytes(2, o)), bytes(3, `${op}_${outputs[0]}`), bytes(4, op), ...attributes);
}
const intAttribute = (name: string, value: number): Field => msg(5, bytes(1, name), int(20, 2), int(3, value));

export interface ScratchModelSpec {
  inputName?: string;
  size?: number;
  /** Output name → class count. */
  heads?: Record<string, number>;
  /** Multiplies every weight, so two scratch models give different outputs. */
  gain?: number;
  metadata?: Record<string, string>;
}

export function scratchOnnxModel(spec: ScratchModelSpec = {}): Buffer {
  const inputName = spec.inputName ?? 'image';
  const size = spec.size ?? 128;
  const heads = spec.heads ?? { colour: 23, clarity: 11, cut: 5, proportions: 4 };
  const gain = spec.gain ?? 1;
  const nodes: Field[] = [node('GlobalAveragePool', [inputName], ['pooled']), node('Flatten', ['pooled'], ['flat'], [intAttribute('axis', 1)])];
  const initialisers: Field[] = [];
  const outputs: Field[] = [];
  for (const [name, classes] of Object.entries(heads)) {
    const w = new Float32Array(3 * classes).map((_, i) => gain * Math.sin(i + 1));
    const b = new Float32Array(classes).map((_, i) => gain * 0.1 * Math.cos(i));
    initialisers.push(tensor(`${name}_w`, [3, classes], w), tensor(`${name}_b`, [classes], b));
    nodes.push(node('Gemm', ['flat', `${name}_w`, `${name}_b`], [name]));
    outputs.push(valueInfo(12, name, ['N', classes]));
  }
  const graph = msg(7, ...nodes, bytes(2, 'scratch'), ...initialisers, valueInfo(11, inputName, ['N', 3, size, size]), ...outputs);
  const metadata = Object.entries(spec.metadata ?? {}).map(([k, v]) => msg(14, bytes(1, k), bytes(2, v)));
  return Buffer.concat([int(1, 8), bytes(2, 'loupe-scratch'), graph, msg(8, bytes(1, ''), int(2, 13)), ...metadata]);
}
