/**
 * Exponential back-off with "full jitter" (AWS architecture blog, 2015): the n-th retry waits a
 * uniform random time in [minMs, min(maxMs, baseMs·2^n)], so a fleet that lost one broker does not
 * come back in lock-step. Pure: the random source is passed in.
 */
export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  /** Never wait less than this, even when the jitter draws near zero. */
  minMs?: number;
}

export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  const floor = Math.min(policy.minMs ?? 0, ceiling);
  return Math.round(floor + random() * (ceiling - floor));
}
