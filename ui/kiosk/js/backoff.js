// Reconnect delays for the live socket. Pure.
// The daemon is on the same box (loopback), so a failed attempt costs almost nothing and
// there is one page per daemon: retry soon, and never wait long once it is back.

export const BACKOFF_BASE_MS = 250;
export const BACKOFF_CAP_MS = 2000;

/**
 * Delay before reconnect attempt number `attempt` (0 = first retry): doubling from the base, capped.
 * @param {number} attempt
 */
export function reconnectDelayMs(attempt) {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 16);
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** exponent);
}
