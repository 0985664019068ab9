/** Starts the real Loupe daemon (`loupe serve`) as a child process for a test, and stops it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './kiosk-modules.ts';
import { freePort, waitFor } from './ports.ts';

export interface DaemonOptions {
  /** e.g. 'synthetic' or 'folder:/tmp/frames' */
  camera: string;
  /** Reuse a data folder (a restart); otherwise a fresh temp folder. */
  dataDir?: string;
  port?: number;
}

export interface RunningDaemon {
  url: string;
  port: number;
  dataDir: string;
  camera: string;
  output: () => string;
  /** SIGKILL, like a crash, or SIGTERM for a clean stop; resolves once the process has exited. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

const START_TIMEOUT_MS = 90_000;

export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'loupe-ui-data-')));
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, ['bin/loupe.js', 'serve', '--data', dataDir, '--port', String(port), '--camera', options.camera], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitFor(`the daemon's /api/health on ${url}`, async () => {
      if (child.exitCode !== null) throw new Error(`daemon exited with ${child.exitCode}`);
      const response = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      return response.ok ? true : undefined;
    }, START_TIMEOUT_MS, 250);
  } catch (error) {
    await stop('SIGKILL');
    throw new Error(`${(error as Error).message}\n--- daemon output ---\n${log}`);
  }
  return { url, port, dataDir, camera: options.camera, output: () => log, stop };
}

export async function removeDataDir(dataDir: string): Promise<void> {
  await rm(dataDir, { recursive: true, force: true });
}
