/** The one full-screen kiosk window, locked to the daemon's origin, reloading itself when it must. */
import { BrowserWindow, screen } from 'electron';
import { kioskWebPreferences } from './security-policy.ts';
import type { ShellConfig } from './shell-config.ts';

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 10_000;

export function createKioskWindow(config: ShellConfig, preloadPath: string, log: (line: string) => void): BrowserWindow {
  // On a bare X server (no window manager) kiosk/fullscreen is not honoured and Chromium shrinks
  // a screen-sized window by 1 px; one pixel larger at 0,0 covers the screen (see launch-kiosk.sh).
  const { bounds } = screen.getPrimaryDisplay();
  const window = new BrowserWindow({
    ...(config.dev ? {} : { x: bounds.x, y: bounds.y, width: bounds.width + 1, height: bounds.height + 1 }),
    kiosk: !config.dev,
    fullscreen: !config.dev,
    autoHideMenuBar: true,
    backgroundColor: '#f5f4f0',
    show: false,
    title: 'Loupe',
    webPreferences: kioskWebPreferences(preloadPath, config.dev),
  });
  const { webContents } = window;
  let retryMs = RETRY_MIN_MS;
  let retryTimer: NodeJS.Timeout | undefined;

  const load = () => {
    void window.loadURL(config.kioskUrl.href).catch(() => {
      // did-fail-load below schedules the retry; this catch only keeps the rejection handled.
    });
  };
  const retryLater = (why: string) => {
    clearTimeout(retryTimer);
    log(`kiosk: ${why}; retrying in ${retryMs} ms`);
    retryTimer = setTimeout(load, retryMs);
    retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
  };

  window.once('ready-to-show', () => window.show());
  webContents.on('did-finish-load', () => {
    retryMs = RETRY_MIN_MS;
  });
  // The daemon may still be starting (or restarting): keep trying rather than show an error page.
  webContents.on('did-fail-load', (_event, errorCode, description, url, isMainFrame) => {
    if (isMainFrame && errorCode !== -3 /* ERR_ABORTED: a newer load replaced this one */) retryLater(`${description} (${errorCode}) loading ${url}`);
  });
  webContents.on('render-process-gone', (_event, details) => retryLater(`renderer gone: ${details.reason}`));
  webContents.on('unresponsive', () => retryLater('renderer unresponsive'));
  window.on('closed', () => clearTimeout(retryTimer));

  load();
  return window;
}
