/** Spawns `loupe serve` as a real process and waits for its kiosk URL line. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '../../..');

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export async function startServe(args: string[], timeoutMs = 60_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['bin/loupe.js', 'serve', ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (c) => (log += c));
  child.stderr!.on('data', (c) => (log += c));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`loupe serve printed no kiosk URL within ${timeoutMs} ms:\n${log}`));
    }, timeoutMs);
    const check = () => {
      const match = /kiosk at (http:\/\/127\.0\.0\.1:\d+)\//.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout!.on('data', check);
    void exit.then(() => {
      clearTimeout(timer);
      reject(new Error(`loupe serve exited early:\n${log}`));
    });
  });
  return { child, url, output: () => log, exit };
}
