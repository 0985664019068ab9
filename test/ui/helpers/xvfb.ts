/** A private X display (Xvfb) for a test; Xvfb picks a free display number itself (-displayfd). */
import { spawn } from 'node:child_process';

export interface VirtualDisplay {
  display: string;
  width: number;
  height: number;
  stop(): Promise<void>;
}

export function startXvfb(width: number, height: number, timeoutMs = 15_000): Promise<VirtualDisplay> {
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', `${width}x${height}x24`, '-nolisten', 'tcp', '-noreset'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`Xvfb gave no display number within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    let announced = '';
    const fd3 = child.stdio[3] as NodeJS.ReadableStream;
    fd3.on('data', (chunk: Buffer) => {
      announced += chunk.toString();
      const match = /^(\d+)\n/.exec(announced);
      if (!match) return;
      clearTimeout(timer);
      resolve({ display: `:${match[1]}`, width, height, stop });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (${code}) before it was ready: ${stderr}`));
    });
  });
}
