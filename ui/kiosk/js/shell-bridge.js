// Optional: when the page runs inside the Loupe Electron shell, its preload exposes
// `window.loupeShell` (ui/shell/preload.ts). In a plain browser this does nothing.

/**
 * @typedef {{
 *   log: (entry: { level: 'info' | 'warn' | 'error', message: string }) => Promise<void>,
 * }} LoupeShell
 */

/** @returns {LoupeShell | undefined} */
function shell() {
  return /** @type {{ loupeShell?: LoupeShell }} */ (/** @type {unknown} */ (window)).loupeShell;
}

/**
 * Sends a line to the shell's log (the kiosk has no devtools in production).
 * @param {'info' | 'warn' | 'error'} level
 * @param {string} message
 */
export function shellLog(level, message) {
  const bridge = shell();
  if (!bridge) return;
  bridge.log({ level, message: message.slice(0, 2000) }).catch(() => {});
}
