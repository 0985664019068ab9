import { createHash } from 'node:crypto';
import { localDayOf, systemTimeZone } from '../../device/store/local-day.ts';
/**
 * The daemon in-process (LoupeApp: real model, real SQLite, real HTTP/WS on 127.0.0.1) with a
 * folder-replay camera that plays every bad frame in turn.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../../device/config/load.ts';
import { LoupeApp } from '../../device/daemon/app.ts';
import { silentLog } from '../../device/daemon/log.ts';
import { makeFrameFixtures } from '../fixtures/bad-frames.ts';
import { writeFrameCases, type FrameCase } from './helpers/frame-files.ts';

let app: LoupeApp;
let base: string;
let cases: FrameCase[];
let framesDir: string;
let dataDir: string;

beforeAll(async () => {
  ({ dir: framesDir, cases } = await writeFrameCases(await makeFrameFixtures(), { huge: true }));
  dataDir = mkdtempSync(join(tmpdir(), 'loupe-api-'));
  app = new LoupeApp({ config: loadConfig({ dataDir, port: 0, cameraSpec: `folder:${framesDir}` }), syncAgentFactory: null, log: silentLog, statusIntervalMs: 200 });
  base = await app.start();
});
afterAll(async () => {
  await app.stop();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(framesDir, { recursive: true, force: true });
});

const api = (path: string, init?: RequestInit) => fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(30_000) });
const gradeCount = () => app.core.store.count();

function rawRequest(path: string, headers: Record<string, string>, method = 'GET', body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(path, base);
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('POST /api/grade through the folder-replay camera', () => {
  it('grades or refuses each frame in turn with its code; a refusal writes no row; the daemon keeps going', async () => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/ws`);
    const events: Array<{ type: string; record?: { id: string }; error?: { code: string } }> = [];
    socket.on('message', (m) => events.push(JSON.parse(String(m))));
    await new Promise((resolve) => socket.once('open', resolve));

    for (const c of cases) {
      const before = gradeCount();
      const response = await api('/api/grade', { method: 'POST' });
      const body = (await response.json()) as { record?: { id: string }; error?: { code: string; message: string } };
      if (c.expect === 'OK') {
        expect(response.status, c.name).toBe(201);
        expect(gradeCount()).toBe(before + 1);
        expect(body.record?.id).toMatch(/^[0-9a-f-]{36}$/);
      } else {
        expect(response.status, c.name).toBe(422);
        expect(body.error?.code, c.name).toBe(c.expect);
        expect(body.error?.message.length).toBeGreaterThan(10);
        expect(gradeCount(), `${c.name} wrote a row`).toBe(before);
      }
    }
    await new Promise((r) => setTimeout(r, 300));
    socket.close();
    expect(events[0].type).toBe('status');
    const outcomes = events.filter((e) => e.type !== 'status').map((e) => (e.type === 'grade' ? 'OK' : e.error?.code));
    expect(outcomes).toEqual(cases.map((c) => c.expect));
    expect(events.filter((e) => e.type === 'status').length).toBeGreaterThan(1);
  });
});

describe('the read API', () => {
  it('GET /api/health reports model, camera and sync', async () => {
    const health = await (await api('/api/health')).json();
    expect(health).toMatchObject({ ok: true, version: '0.1.0', model: { name: 'loupe-rb', provider: 'cpu', trainedOn: 'synthetic' }, camera: { kind: 'folder', ready: true }, inference: { replacedWorkers: 0, abandonedWorkers: 0 }, sync: { state: 'offline' } });
    expect(health.sync.backlog).toBe(gradeCount());
  });

  it('GET /api/grades lists newest first, by day and limit; by id; thumbnails as JPEG', async () => {
    const { grades } = await (await api('/api/grades?limit=2')).json();
    expect(grades).toHaveLength(2);
    expect(grades[0].createdAt >= grades[1].createdAt).toBe(true);
    const today = localDayOf(grades[0].createdAt, systemTimeZone()); // the daemon's zone: the host's
    expect((await (await api(`/api/grades?day=${today}`)).json()).grades).toHaveLength(gradeCount());
    expect((await (await api('/api/grades?day=2001-01-01')).json()).grades).toEqual([]);
    expect((await (await api(`/api/grades/${grades[0].id}`)).json()).record).toEqual(grades[0]);
    const thumb = await api(`/api/grades/${grades[0].id}/thumbnail`);
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await thumb.arrayBuffer()).subarray(0, 2).toString('hex')).toBe('ffd8');
  });

  it('GET /api/preview gives the latest frame as JPEG', async () => {
    const preview = await api('/api/preview');
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toBe('image/jpeg');
  });
});

describe('the replay tray', () => {
  it('previews the stone the next grade gets, and puts the next one on after the grade', async () => {
    const shown = Buffer.from(await (await api('/api/preview')).arrayBuffer());
    const response = await api('/api/grade', { method: 'POST' });
    expect(response.status).toBe(201);
    const { record } = (await response.json()) as { record: { frameSha256: string } };
    expect(createHash('sha256').update(shown).digest('hex')).toBe(record.frameSha256);
    const after = Buffer.from(await (await api('/api/preview')).arrayBuffer());
    expect(after.equals(shown)).toBe(false);
  });
});

describe('bad requests get a code and a reason', () => {
  const expectError = async (response: Response, status: number, code: string, message?: RegExp) => {
    expect(response.status).toBe(status);
    const body = await response.json();
    expect(body.error.code).toBe(code);
    if (message) expect(body.error.message).toMatch(message);
  };

  it('query and path parameters are validated', async () => {
    await expectError(await api('/api/grades?limit=0'), 400, 'BAD_REQUEST', /^query\.limit: expected 1–1000/);
    await expectError(await api('/api/grades?day=2025-13-45'), 400, 'BAD_REQUEST', /^query\.day: /);
    await expectError(await api('/api/grades?colour=D'), 400, 'BAD_REQUEST', /colour/);
    await expectError(await api('/api/grades?limit=1&limit=2'), 400, 'BAD_REQUEST', /more than once/);
    await expectError(await api('/api/grades/not-an-id'), 400, 'BAD_REQUEST', /^id: expected a grade id/);
    await expectError(await api('/api/grades/01890a5d-ac96-774b-bcce-b302099a8057'), 404, 'GRADE_NOT_FOUND');
    await expectError(await api('/api/grades/01890a5d-ac96-774b-bcce-b302099a8057/thumbnail'), 404, 'THUMBNAIL_NOT_FOUND');
  });

  it('bodies, methods and paths are checked', async () => {
    const before = gradeCount();
    await expectError(await api('/api/grade', { method: 'POST', body: '{"force":true}' }), 400, 'BAD_REQUEST', /^body: .*force/);
    await expectError(await api('/api/grade', { method: 'POST', body: 'not json' }), 400, 'BAD_REQUEST');
    await expectError(await api('/api/grade', { method: 'POST', body: 'x'.repeat(10_000) }), 413, 'BODY_TOO_LARGE');
    await expectError(await api('/api/grade'), 405, 'METHOD_NOT_ALLOWED');
    await expectError(await api('/api/nothing'), 404, 'NOT_FOUND');
    expect(gradeCount()).toBe(before);
  });

  it('a foreign Host (DNS rebinding) or Origin is refused', async () => {
    const host = await rawRequest('/api/health', { Host: 'attacker.example' });
    expect(host.status).toBe(403);
    expect(JSON.parse(host.body).error.code).toBe('HOST_REFUSED');
    const origin = await rawRequest('/api/grade', { Origin: 'http://attacker.example' }, 'POST');
    expect(JSON.parse(origin.body).error.code).toBe('ORIGIN_REFUSED');
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`, { headers: { Origin: 'http://attacker.example' } });
    const refused = await new Promise<string>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      ws.on('open', () => resolve('open'));
      ws.on('error', () => undefined);
    });
    expect(refused).toBe('403');
  });
});

describe('the kiosk page', () => {
  it('is served from ui/kiosk with the strict CSP; nothing outside it is', async () => {
    const page = await api('/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'; img-src 'self' blob: data:; connect-src 'self' ws://127.0.0.1:*");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await api('/styles.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/js/../../../package.json', '/.hidden']) {
      const response = await rawRequest(path, {});
      expect(response.status, path).toBe(404);
    }
  });
});
