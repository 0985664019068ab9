/** Per-head scores on ordinal grade scales: exact top-1 and within one grade step. */

export interface HeadScore {
  n: number;
  exact: number;
  withinOne: number;
  /** Share referred at the manifest's abstain threshold, and accuracy on the rest. */
  referred: number;
  exactWhenGraded: number | null;
}

/** predicted/true are class indices (the device's answers); confidences their calibrated probabilities. */
export function scoreHead(predicted: readonly number[], truth: readonly number[], confidences: readonly number[], abstainBelow: number): HeadScore {
  if (predicted.length !== truth.length || predicted.length !== confidences.length) throw new RangeError('predicted, truth and confidences differ in length');
  const n = truth.length;
  let exact = 0;
  let withinOne = 0;
  let graded = 0;
  let gradedCorrect = 0;
  for (let i = 0; i < n; i++) {
    const hit = predicted[i] === truth[i];
    if (hit) exact++;
    if (Math.abs(predicted[i] - truth[i]) <= 1) withinOne++;
    if (confidences[i] >= abstainBelow) {
      graded++;
      if (hit) gradedCorrect++;
    }
  }
  return { n, exact: exact / n, withinOne: withinOne / n, referred: 1 - graded / n, exactWhenGraded: graded ? gradedCorrect / graded : null };
}

/** The binomial standard error of an accuracy p measured on n samples. */
export function binomialSigma(p: number, n: number): number {
  return Math.sqrt((p * (1 - p)) / n);
}
