/** Turns a head's logits into a grade: temperature-scaled softmax, top-1, abstain below a threshold. */
import { REFER } from './scales.ts';
import type { HeadGrade } from './record.ts';

export function softmax(logits: ArrayLike<number>, temperature = 1): number[] {
  if (!(temperature > 0)) throw new RangeError(`temperature must be > 0, got ${temperature}`);
  if (logits.length === 0) throw new RangeError('softmax of no logits');
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i] / temperature);
  const exps = Array.from({ length: logits.length }, (_, i) => Math.exp(logits[i] / temperature - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

export interface HeadSpec {
  labels: readonly string[];
  temperature: number;
  abstainBelow: number;
}

export function gradeHead(logits: ArrayLike<number>, head: HeadSpec): HeadGrade {
  if (logits.length !== head.labels.length) {
    throw new RangeError(`head has ${head.labels.length} labels but ${logits.length} logits`);
  }
  const probabilities = softmax(logits, head.temperature);
  let best = 0;
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[best]) best = i;
  const confidence = probabilities[best];
  const top = head.labels[best];
  return { grade: confidence < head.abstainBelow ? REFER : top, top, confidence, probabilities };
}
