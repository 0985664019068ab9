import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startServe } from './helpers/serve-process.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'loupe-serve-'));
  dirs.push(d);
  return d;
};

describe('loupe serve (a real process)', () => {
  it('prints the kiosk URL, grades, and stops cleanly on SIGTERM with the database closed', async () => {
    const dataDir = fresh();
    const serve = await startServe(['--data', dataDir, '--port', '0', '--camera', 'synthetic', '--broker', 'offline']);
    const graded = await fetch(`${serve.url}/api/grade`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
    expect(graded.status).toBe(201);
    const { record } = (await graded.json()) as { record: { id: string } };

    serve.child.kill('SIGTERM');
    const { code } = await serve.exit;
    expect(code).toBe(0);
    expect(serve.output()).toContain('"event":"daemon.stopped"');
    // A clean close checkpoints the WAL: the grade is in the main file, readable by anyone.
    const db = new Database(join(dataDir, 'loupe.db'), { readonly: true });
    expect(db.prepare('SELECT id FROM grades').all()).toEqual([{ id: record.id }]);
    db.close();
  });

  it('keeps running without its camera: health says so and a grade is 503 CAMERA_NOT_READY', async () => {
    const serve = await startServe(['--data', fresh(), '--port', '0', '--camera', 'v4l2:/dev/video97']);
    try {
      const health = await (await fetch(`${serve.url}/api/health`)).json();
      expect(health).toMatchObject({ ok: false, camera: { kind: 'v4l2', ready: false }, model: { provider: 'cpu' } });
      const grade = await fetch(`${serve.url}/api/grade`, { method: 'POST' });
      expect(grade.status).toBe(503);
      expect(((await grade.json()) as { error: { code: string } }).error.code).toBe('CAMERA_NOT_READY');
      expect((await fetch(`${serve.url}/api/grades`)).status).toBe(200);
    } finally {
      serve.child.kill('SIGINT');
      expect((await serve.exit).code).toBe(0);
    }
  });

  it('refuses a bad flag or config with the setting path and exits non-zero', async () => {
    await expect(startServe(['--data', fresh(), '--camera', 'webcam'], 30_000)).rejects.toThrow(/camera\.spec: expected synthetic\|folder:DIR/);
    await expect(startServe(['--data', fresh(), '--port', 'eighty'], 30_000)).rejects.toThrow(/--port: expected 0–65535/);
  });
});
