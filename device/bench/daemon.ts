/**
 * `loupe serve` as a real process: the time from spawn to the first stored grade (POST
 * /api/grade retried until 201), and its memory with the model loaded after a run of grades.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchFrame, BENCH_MM_PER_PX } from './frame.ts';
import { median, round } from './stats.ts';
import type { BenchModule, BenchReport } from './types.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

function rssMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
}

async function postGrade(port: number): Promise<number> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/api/grade`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0; // not listening yet
  }
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

interface Run {
  firstGradeMs: number;
  rss: number;
  peak: number;
}

async function oneRun(framesDir: string, grades: number): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loupe-bench-daemon-'));
  writeFileSync(join(dataDir, 'calibration.json'), JSON.stringify({ mmPerPx: BENCH_MM_PER_PX, measuredAt: new Date().toISOString(), diskMm: 10, diskPx: 10 / BENCH_MM_PER_PX }));
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, ['bin/loupe.js', 'serve', '--data', dataDir, '--port', String(port), '--camera', `folder:${framesDir}`, '--broker', 'offline'], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'pipe'],
    // As the appliance runs it (npm start / npm run appliance): fewer glibc malloc arenas for the thread pools.
    env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
  });
  let log = '';
  child.stderr!.on('data', (c) => (log = (log + c).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    let status = 0;
    while (status !== 201) {
      if (child.exitCode !== null) throw new Error(`loupe serve exited (${child.exitCode}):\n${log}`);
      if (performance.now() - started > 60_000) throw new Error(`no grade within 60 s:\n${log}`);
      status = await postGrade(port);
      if (status !== 201) await new Promise((r) => setTimeout(r, 10));
    }
    const firstGradeMs = performance.now() - started;
    for (let i = 0; i < grades; i++) await postGrade(port);
    return { firstGradeMs, ...rssMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const bench: BenchModule = {
  name: 'daemon',
  summary: 'loupe serve: start to first grade, RSS with the model loaded',
  async run(options): Promise<BenchReport> {
    const framesDir = mkdtempSync(join(tmpdir(), 'loupe-bench-frames-'));
    writeFileSync(join(framesDir, 'stone.jpg'), await benchFrame());
    const runs: Run[] = [];
    const count = options.quick ? 1 : 3;
    try {
      for (let i = 0; i < count; i++) {
        runs.push(await oneRun(framesDir, options.quick ? 10 : 50));
        options.progress(`daemon run ${i + 1}/${count}: first grade ${round(runs[i].firstGradeMs, 0)} ms, RSS ${round(runs[i].rss, 0)} MB`);
      }
    } finally {
      rmSync(framesDir, { recursive: true, force: true });
    }
    const baseline = rssMb(process.pid);
    return {
      name: 'daemon',
      metrics: [
        { name: 'start → first grade (median)', value: round(median(runs.map((r) => r.firstGradeMs)), 0), unit: 'ms', goal: { op: '<=', value: 2000 } },
        { name: 'start → first grade (worst)', value: round(Math.max(...runs.map((r) => r.firstGradeMs)), 0), unit: 'ms' },
        { name: 'daemon RSS after grades (median)', value: round(median(runs.map((r) => r.rss)), 0), unit: 'MB', goal: { op: '<=', value: 250 } },
        { name: 'daemon peak RSS (worst)', value: round(Math.max(...runs.map((r) => r.peak)), 0), unit: 'MB' },
      ],
      notes: [
        `${runs.length} spawn(s) of loupe serve with a folder camera replaying a 1920×1080 JPEG; the clock starts before spawn and stops at the first 201 from POST /api/grade.`,
        `RSS is the one daemon process (its inference worker thread included); for scale, this bench runner's own RSS is ${round(baseline.rss, 0)} MB.`,
      ],
    };
  },
};
