/** The kiosk window's security settings, as pure values and predicates (no Electron at run time). */
import type { WebPreferences } from 'electron';

/** The same policy the daemon sends; the shell enforces it too, in case a response lacks it. */
export const KIOSK_CSP = "default-src 'self'; img-src 'self' blob: data:; connect-src 'self' ws://127.0.0.1:*; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

export function kioskWebPreferences(preloadPath: string, dev: boolean): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: dev,
  };
}

/** True only for a URL on exactly the daemon's origin (scheme, host and port). */
export function isKioskOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/**
 * True for a request the kiosk may make: its own origin, the daemon's WebSocket on the same
 * host and port, or local blob:/data: URLs. Everything else (the internet included) is cancelled.
 */
export function isKioskRequest(url: string, origin: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'blob:' || parsed.protocol === 'data:') return true;
  if (parsed.protocol === 'ws:') return `http://${parsed.host}` === origin;
  return parsed.origin === origin;
}
