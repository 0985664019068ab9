import { describe, expect, it } from 'vitest';
import { isKioskOrigin, isKioskRequest, KIOSK_CSP, kioskWebPreferences } from '../../ui/shell/security-policy.ts';
import { DEFAULT_KIOSK_URL, parseShellConfig } from '../../ui/shell/shell-config.ts';
import { ShellError } from '../../ui/shell/shell-error.ts';

const ORIGIN = 'http://127.0.0.1:8080';

describe('shell configuration', () => {
  it('defaults to the daemon on loopback, production mode', () => {
    const config = parseShellConfig(['/path/main.cjs']);
    expect(config.kioskUrl.href).toBe(DEFAULT_KIOSK_URL);
    expect(config.origin).toBe(ORIGIN);
    expect(config.dev).toBe(false);
  });

  it('takes --url in both spellings and --dev', () => {
    expect(parseShellConfig(['--url=http://127.0.0.1:9000/']).origin).toBe('http://127.0.0.1:9000');
    const config = parseShellConfig(['--url', 'http://localhost:9001/', '--dev', '--enable-logging']);
    expect(config.origin).toBe('http://localhost:9001');
    expect(config.dev).toBe(true);
  });

  it('refuses a daemon URL off loopback or not http, with a code', () => {
    for (const url of ['http://10.0.0.5:8080/', 'https://127.0.0.1:8080/', 'file:///etc/passwd', 'not a url']) {
      let caught: unknown;
      try {
        parseShellConfig([`--url=${url}`]);
      } catch (error) {
        caught = error;
      }
      expect(caught, url).toBeInstanceOf(ShellError);
      expect((caught as ShellError).code).toBe('SHELL_CONFIG_INVALID');
    }
  });
});

describe('navigation and request locks', () => {
  it('allows only the exact daemon origin for navigation', () => {
    expect(isKioskOrigin('http://127.0.0.1:8080/index.html', ORIGIN)).toBe(true);
    expect(isKioskOrigin('http://127.0.0.1:8081/', ORIGIN)).toBe(false);
    expect(isKioskOrigin('http://localhost:8080/', ORIGIN)).toBe(false);
    expect(isKioskOrigin('https://example.com/', ORIGIN)).toBe(false);
    expect(isKioskOrigin('javascript:alert(1)', ORIGIN)).toBe(false);
    expect(isKioskOrigin('::garbage', ORIGIN)).toBe(false);
  });

  it('lets the page reach its own WebSocket and blob URLs, and nothing else', () => {
    expect(isKioskRequest('ws://127.0.0.1:8080/ws', ORIGIN)).toBe(true);
    expect(isKioskRequest('ws://127.0.0.1:9999/ws', ORIGIN)).toBe(false);
    expect(isKioskRequest('blob:http://127.0.0.1:8080/5b0c', ORIGIN)).toBe(true);
    expect(isKioskRequest('http://127.0.0.1:8080/api/preview', ORIGIN)).toBe(true);
    expect(isKioskRequest('https://fonts.googleapis.com/css', ORIGIN)).toBe(false);
  });
});

describe('kiosk window settings', () => {
  it('isolates and sandboxes the renderer, and hides devtools outside dev', () => {
    const prefs = kioskWebPreferences('/x/preload.cjs', false);
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false, devTools: false, preload: '/x/preload.cjs' });
    expect(kioskWebPreferences('/x/preload.cjs', true).devTools).toBe(true);
  });

  it('sends a CSP with no inline script and no foreign origins', () => {
    expect(KIOSK_CSP).toContain("default-src 'self'");
    expect(KIOSK_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:\/\//);
  });
});
