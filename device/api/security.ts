/** Headers on every response, and the Host/Origin checks that keep the API to this box. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const KIOSK_CSP = "default-src 'self'; img-src 'self' blob: data:; connect-src 'self' ws://127.0.0.1:*; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export function setSecurityHeaders(response: ServerResponse): void {
  response.setHeader('Content-Security-Policy', KIOSK_CSP);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

const LOOPBACK_HOST = /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/;

/** A DNS-rebinding page reaches 127.0.0.1 under a foreign Host name; refuse it. */
export function hostAllowed(request: IncomingMessage): boolean {
  const host = request.headers.host;
  return host === undefined || LOOPBACK_HOST.test(host);
}

/** Browsers send Origin on WebSocket upgrades and POSTs; only the kiosk's own origin (or none) may come in. */
export function originAllowed(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined || origin === 'null') return origin === undefined;
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && LOOPBACK_HOST.test(url.host) && (request.headers.host === undefined || url.host === request.headers.host);
  } catch {
    return false;
  }
}
