// The live view of the tray: polls /api/preview and swaps in each frame as a blob URL.
import { previewFrame } from './api.js';
import { byId } from './dom.js';

const POLL_INTERVAL_MS = 800;

export function startPreview() {
  const image = /** @type {HTMLImageElement} */ (byId('preview'));
  const note = byId('preview-note');
  /** @type {string | null} */
  let currentUrl = null;
  let stopped = false;

  const poll = async () => {
    if (stopped) return;
    if (!document.hidden) {
      try {
        const url = URL.createObjectURL(await previewFrame());
        image.src = url;
        if (currentUrl) URL.revokeObjectURL(currentUrl);
        currentUrl = url;
        note.hidden = true;
      } catch (error) {
        note.textContent = error instanceof Error ? `No camera picture: ${error.message}` : 'No camera picture';
        note.hidden = false;
      }
    }
    setTimeout(poll, POLL_INTERVAL_MS);
  };
  void poll();
  return {
    stop() {
      stopped = true;
    },
  };
}
