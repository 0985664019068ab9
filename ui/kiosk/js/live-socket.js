// The live event stream from the daemon (/ws), reconnecting with back-off when it drops.
import { reconnectDelayMs } from './backoff.js';
import { parseSocketMessage } from './types.js';

/** @typedef {import('./types.js').SocketMessage} SocketMessage */
/** @typedef {'connecting' | 'open' | 'reconnecting'} SocketState */

// A socket that neither opens nor fails within this time is abandoned and retried.
const OPEN_TIMEOUT_MS = 5000;

/**
 * @param {{ onMessage: (message: SocketMessage) => void, onState: (state: SocketState) => void }} handlers
 * @returns {{ stop: () => void }}
 */
export function connectLiveSocket({ onMessage, onState }) {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  let attempt = 0;
  let stopped = false;
  /** @type {WebSocket | null} */
  let socket = null;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let retryTimer;

  const scheduleRetry = () => {
    if (stopped) return;
    onState('reconnecting');
    clearTimeout(retryTimer);
    retryTimer = setTimeout(open, reconnectDelayMs(attempt));
    attempt += 1;
  };

  function open() {
    if (stopped) return;
    const ws = new WebSocket(url);
    socket = ws;
    const openTimer = setTimeout(() => ws.close(), OPEN_TIMEOUT_MS);
    ws.addEventListener('open', () => {
      clearTimeout(openTimer);
      attempt = 0;
      onState('open');
    });
    ws.addEventListener('message', (event) => {
      const message = typeof event.data === 'string' ? parseSocketMessage(event.data) : null;
      if (message) onMessage(message);
    });
    // 'close' follows 'error' too, so retrying here covers both.
    ws.addEventListener('close', () => {
      clearTimeout(openTimer);
      if (socket === ws) scheduleRetry();
    });
  }

  onState('connecting');
  open();
  return {
    stop() {
      stopped = true;
      clearTimeout(retryTimer);
      socket?.close();
    },
  };
}
