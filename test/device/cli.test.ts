import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFrameFixtures } from '../fixtures/bad-frames.ts';
import { writeFrameCases, type FrameCase } from './helpers/frame-files.ts';

const REPO = join(import.meta.dirname, '../..');

function loupe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/loupe.js', ...args], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

let cases: FrameCase[];
let framesDir: string;
let dataDir: string;

beforeAll(async () => {
  ({ dir: framesDir, cases } = await writeFrameCases(await makeFrameFixtures(), { huge: true }));
  dataDir = mkdtempSync(join(tmpdir(), 'loupe-cli-'));
});
afterAll(() => {
  rmSync(framesDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('loupe grade', () => {
  let json: Array<{ file: string; ok: boolean; record?: { id: string; grades: Record<string, { grade: string }> }; error?: { code: string; message: string } }>;

  it('grades every file in one run, refuses each bad one with its code, and exits 1', async () => {
    const missing = join(framesDir, 'not-there.jpg');
    const result = await loupe(['grade', ...cases.map((c) => c.file), missing, '--json', '--data', dataDir]);
    expect(result.code).toBe(1);
    json = JSON.parse(result.stdout);
    expect(json.map((r) => r.file)).toEqual([...cases.map((c) => c.file), missing]);
    cases.forEach((c, i) => expect(json[i].ok ? 'OK' : json[i].error?.code, c.name).toBe(c.expect));
    expect(json.at(-1)?.error?.code).toBe('FILE_UNREADABLE');
    for (const row of json.filter((r) => r.ok)) expect(row.record?.grades.colour.grade).toMatch(/^([D-Z]|refer)$/);
  });

  it('stored exactly the graded files: loupe history lists them and nothing else', async () => {
    const history = await loupe(['history', '--json', '--data', dataDir]);
    expect(history.code).toBe(0);
    const stored = (JSON.parse(history.stdout) as Array<{ id: string }>).map((r) => r.id).sort();
    expect(stored).toEqual(json.filter((r) => r.ok).map((r) => r.record!.id).sort());
    expect(stored).toHaveLength(cases.filter((c) => c.expect === 'OK').length);
  });

  it('prints a table, with the refusal and its reason on the refused file’s line', async () => {
    const good = cases.find((c) => c.name === 'good')!;
    const blurred = cases.find((c) => c.name === 'blurred')!;
    const result = await loupe(['grade', good.file, blurred.file, '--data', dataDir]);
    expect(result.code).toBe(1);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^FILE\s+ID\s+COLOUR\s+CLARITY\s+CUT\s+CARAT\s+TIME$/);
    expect(lines[1]).toMatch(/[0-9a-f-]{36}\s+.*ct \((model|ideal) depth\)/);
    expect(lines[2]).toContain('REFUSED FRAME_BLURRED: ');
  });

  it('exits 0 when every file grades; 2 with no files', async () => {
    expect((await loupe(['grade', cases[0].file, '--data', dataDir])).code).toBe(0);
    const none = await loupe(['grade', '--data', dataDir]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: loupe grade');
  });
});

describe('loupe history', () => {
  it('finds one grade by id, a day, and refuses a bad day or unknown id with a code', async () => {
    const all = JSON.parse((await loupe(['history', '--json', '--data', dataDir])).stdout) as Array<{ id: string; createdAt: string }>;
    const one = await loupe(['history', '--id', all[0].id, '--json', '--data', dataDir]);
    expect(JSON.parse(one.stdout).id).toBe(all[0].id);
    const day = await loupe(['history', '--day', all[0].createdAt.slice(0, 10), '--json', '--data', dataDir], { TZ: 'UTC' });
    expect((JSON.parse(day.stdout) as unknown[]).length).toBe(all.length);
    // Days are the store's local days: the host's zone unless history.timeZone says otherwise.
    const empty = await loupe(['history', '--day', '1999-01-01', '--data', dataDir], { TZ: 'America/New_York' });
    expect(empty.stdout.trim()).toBe('no grades on 1999-01-01 (America/New_York)');
    const bad = await loupe(['history', '--day', '01/02/2025', '--data', dataDir]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('[USAGE] --day: expected YYYY-MM-DD');
    const unknown = await loupe(['history', '--id', 'nope', '--data', dataDir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('[GRADE_NOT_FOUND]');
  });

  it('takes the data dir from $LOUPE_DATA', async () => {
    const viaEnv = await loupe(['history', '--json'], { LOUPE_DATA: dataDir });
    expect((JSON.parse(viaEnv.stdout) as unknown[]).length).toBeGreaterThan(0);
  });
});
