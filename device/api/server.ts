/**
 * The daemon's HTTP + WebSocket server, bound to 127.0.0.1 only: the §5 API, the kiosk's
 * static page with a strict CSP, and live events on /ws.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError, errorBody, toApiError } from './errors.ts';
import { apiRoutes, matchRoute, type Reply } from './routes.ts';
import { hostAllowed, originAllowed, setSecurityHeaders } from './security.ts';
import { KIOSK_ROOT, readStaticFile } from './static-files.ts';
import type { ApiServices, SocketMessage } from './types.ts';

export const MAX_BODY_BYTES = 4096;

export interface ApiServerOptions {
  services: ApiServices;
  port: number;
  host?: '127.0.0.1';
  kioskRoot?: string;
  /** Called when a socket connects, for the first status message. */
  greeting?: () => SocketMessage;
  log?: (event: string, fields?: Record<string, unknown>) => void;
}

export class ApiServer {
  private server: Server | undefined;
  private sockets: WebSocketServer | undefined;
  private boundPort: number | undefined;

  constructor(private readonly options: ApiServerOptions) {}

  get port(): number {
    if (this.boundPort === undefined) throw new Error('the API server is not listening');
    return this.boundPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get clientCount(): number {
    return this.sockets?.clients.size ?? 0;
  }

  async start(): Promise<void> {
    const routes = apiRoutes(this.options.services);
    const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, (request, response) => {
      void this.handle(routes, request, response);
    });
    const sockets = new WebSocketServer({ noServer: true, maxPayload: 4096 });
    server.on('upgrade', (request, socket, head) => this.upgrade(sockets, request, socket, head));
    sockets.on('connection', (ws) => {
      ws.on('error', () => ws.terminate());
      ws.on('message', () => undefined); // the kiosk only listens; anything it sends is ignored
      if (this.options.greeting) ws.send(JSON.stringify(this.options.greeting()));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (server.address() as AddressInfo).port;
    this.server = server;
    this.sockets = sockets;
  }

  broadcast(message: SocketMessage): void {
    const text = JSON.stringify(message);
    for (const client of this.sockets?.clients ?? []) if (client.readyState === client.OPEN) client.send(text);
  }

  /** Closes the sockets and the listener; open HTTP connections get `graceMs` to finish. */
  async stop(graceMs = 3000): Promise<void> {
    const server = this.server;
    const sockets = this.sockets;
    this.server = undefined;
    this.sockets = undefined;
    for (const client of sockets?.clients ?? []) client.close(1001, 'daemon stopping');
    sockets?.close();
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => {
      server.closeAllConnections();
      for (const client of sockets?.clients ?? []) (client as WebSocket).terminate();
    }, graceMs);
    await closed;
    clearTimeout(timer);
  }

  private upgrade(sockets: WebSocketServer, request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/ws' || !hostAllowed(request) || !originAllowed(request)) {
      socket.end(`HTTP/1.1 ${path !== '/ws' ? '404 Not Found' : '403 Forbidden'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => sockets.emit('connection', ws, request));
  }

  private async handle(routes: ReturnType<typeof apiRoutes>, request: IncomingMessage, response: ServerResponse): Promise<void> {
    setSecurityHeaders(response);
    const method = request.method ?? 'GET';
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    try {
      if (!hostAllowed(request)) throw new ApiError(403, 'HOST_REFUSED', `the daemon answers only to 127.0.0.1 or localhost, not "${request.headers.host}"`);
      if (url.pathname.startsWith('/api/')) {
        if (method !== 'GET' && !originAllowed(request)) throw new ApiError(403, 'ORIGIN_REFUSED', `requests from ${request.headers.origin} are not allowed`);
        const found = matchRoute(routes, method, url.pathname);
        if (!found) throw new ApiError(404, 'NOT_FOUND', `no API at ${url.pathname}`);
        const reply = await found.route.handle({ method, path: url.pathname, query: url.searchParams, readBody: () => readBody(request) }, found.params);
        send(response, reply);
        return;
      }
      if (method !== 'GET' && method !== 'HEAD') throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${url.pathname}`);
      const file = await readStaticFile(this.options.kioskRoot ?? KIOSK_ROOT, url.pathname);
      if (!file) throw new ApiError(404, 'NOT_FOUND', `no file at ${url.pathname}`);
      send(response, { status: 200, body: file.body, contentType: file.contentType, cacheControl: 'no-cache' }); // node sends no body for HEAD
    } catch (error) {
      const apiError = toApiError(error);
      if (apiError.status >= 500) this.options.log?.('api.error', { path: url.pathname, code: apiError.code, message: apiError.message });
      send(response, { status: apiError.status, json: errorBody(apiError) });
    }
  }
}

function send(response: ServerResponse, reply: Reply): void {
  if (response.headersSent) return;
  if ('json' in reply) {
    const body = Buffer.from(JSON.stringify(reply.json));
    response.writeHead(reply.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length, 'Cache-Control': 'no-store' });
    response.end(body);
    return;
  }
  response.writeHead(reply.status, { 'Content-Type': reply.contentType, 'Content-Length': reply.body.length, 'Cache-Control': reply.cacheControl ?? 'no-store' });
  response.end(reply.body);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk); // past the limit the rest is read and dropped, so the 413 can be sent
    });
    request.on('end', () =>
      size > MAX_BODY_BYTES ? reject(new ApiError(413, 'BODY_TOO_LARGE', `the body is ${size} bytes; at most ${MAX_BODY_BYTES}`)) : resolve(Buffer.concat(chunks).toString('utf8')),
    );
    request.on('error', reject);
  });
}
