/**
 * Turns a head's logits into a grade: temperature-scaled softmax, the answer, abstain below a
 * threshold. The answer is the grade k with the largest p_k + w · (p_{k-1} + p_k + p_{k+1}): the
 * expected exact score plus w times the expected within-one score (w = the manifest's
 * withinOneWeight; 0 or absent is the argmax). Where neighbouring grades look alike, w > 0
 * answers the middle of them, so fewer answers land two or more grades off
 * (models/train/NOTES.md §12). The confidence is the probability of the grade answered.
 */
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
  withinOneWeight?: number;
}

/** Index of the answer among `probabilities` for a within-one weight (models/train/loupe_train/metrics.py decide). */
export function decideGrade(probabilities: readonly number[], withinOneWeight = 0): number {
  let best = 0;
  let bestScore = -Infinity;
  for (let k = 0; k < probabilities.length; k++) {
    const near = (probabilities[k - 1] ?? 0) + probabilities[k] + (probabilities[k + 1] ?? 0);
    const score = probabilities[k] + withinOneWeight * near;
    if (score > bestScore) {
      best = k;
      bestScore = score;
    }
  }
  return best;
}

export function gradeHead(logits: ArrayLike<number>, head: HeadSpec): HeadGrade {
  if (logits.length !== head.labels.length) {
    throw new RangeError(`head has ${head.labels.length} labels but ${logits.length} logits`);
  }
  const probabilities = softmax(logits, head.temperature);
  const best = decideGrade(probabilities, head.withinOneWeight ?? 0);
  const confidence = probabilities[best];
  const top = head.labels[best];
  return { grade: confidence < head.abstainBelow ? REFER : top, top, confidence, probabilities };
}
