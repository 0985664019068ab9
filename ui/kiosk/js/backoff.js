// Reconnect delays for the live socket. Pure; the jitter source is injected for tests.

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 5000;

/**
 * Delay before reconnect attempt number `attempt` (0 = first retry): doubling from the base,
 * capped, with up to 20 % jitter subtracted so many kiosks don't retry in lockstep.
 * @param {number} attempt
 * @param {() => number} [random] returns [0, 1)
 */
export function reconnectDelayMs(attempt, random = Math.random) {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 16);
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** exponent);
  return Math.round(ceiling * (1 - 0.2 * random()));
}
