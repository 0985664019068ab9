/**
 * The Loupe kiosk shell (Electron main process). It shows the daemon's kiosk page full-screen
 * and nothing else: sandboxed renderer, no Node in the page, navigation locked to the daemon's
 * origin, every permission denied, no devtools unless started with --dev.
 * Run it through ui/shell/launch-kiosk.sh, which builds it and waits for the daemon.
 */
import { app, ipcMain, Menu, session, type WebContents } from 'electron';
import path from 'node:path';
import { registerIpcHandlers } from './ipc-handlers.ts';
import { createKioskWindow } from './kiosk-window.ts';
import { isKioskOrigin, isKioskRequest, KIOSK_CSP } from './security-policy.ts';
import { parseShellConfig, type ShellConfig } from './shell-config.ts';

const SHELL_VERSION = '0.1.0';

function log(line: string): void {
  console.log(`${new Date().toISOString()} ${line}`);
}

function lockDown(contents: WebContents, config: ShellConfig): void {
  contents.on('will-navigate', (event, url) => {
    if (!isKioskOrigin(url, config.origin)) {
      event.preventDefault();
      log(`kiosk: blocked navigation to ${url}`);
    }
  });
  contents.on('will-redirect', (event, url) => {
    if (!isKioskOrigin(url, config.origin)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  if (!config.dev) contents.on('devtools-opened', () => contents.closeDevTools());
}

function secureSession(config: ShellConfig): void {
  const kioskSession = session.defaultSession;
  kioskSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  kioskSession.setPermissionCheckHandler(() => false);
  kioskSession.webRequest.onBeforeRequest((details, callback) => {
    const allowed = isKioskRequest(details.url, config.origin);
    if (!allowed) log(`kiosk: blocked request to ${details.url}`);
    callback({ cancel: !allowed });
  });
  kioskSession.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [KIOSK_CSP] } });
  });
}

function start(): void {
  let config: ShellConfig;
  try {
    config = parseShellConfig(process.argv.slice(1));
  } catch (error) {
    console.error(`loupe-shell: ${(error as Error).message}`);
    app.exit(2);
    return;
  }
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('web-contents-created', (_event, contents) => lockDown(contents, config));
  app.on('window-all-closed', () => app.quit());

  void app.whenReady().then(() => {
    if (!config.dev) Menu.setApplicationMenu(null);
    secureSession(config);
    // This file runs as the CommonJS bundle in ui/shell/dist/, beside preload.cjs.
    const window = createKioskWindow(config, path.join(__dirname, 'preload.cjs'), log);
    registerIpcHandlers(ipcMain, {
      origin: config.origin,
      info: { shell: 'electron', shellVersion: SHELL_VERSION, electronVersion: process.versions.electron ?? '?', production: !config.dev },
      writeLog: (entry) => log(`page ${entry.level}: ${entry.message}`),
      reloadKiosk: (reason) => {
        log(`kiosk: reload requested by page (${reason})`);
        window.webContents.reload();
      },
    });
    app.on('second-instance', () => window.focus());
    log(`kiosk: showing ${config.kioskUrl.href}${config.dev ? ' (dev)' : ''}`);
  });
}

start();
