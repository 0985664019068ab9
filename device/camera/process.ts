/** Runs a capture program with a timeout and maps its failures onto camera error codes. */
import { execFile } from 'node:child_process';
import { CameraError } from './errors.ts';

export interface ProgramResult {
  stdout: Buffer;
  /** As the program wrote it, colour codes included. */
  stderr: string;
}

export interface RunOptions {
  timeoutMs: number;
  /** Largest stdout accepted (a 4K JPEG is a few MB). */
  maxBytes?: number;
  env?: NodeJS.ProcessEnv;
}

const ANSI = /\x1b\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

export function runProgram(program: string, args: readonly string[], options: RunOptions): Promise<ProgramResult> {
  return new Promise((resolve, reject) => {
    execFile(
      program,
      args,
      { encoding: 'buffer', timeout: options.timeoutMs, killSignal: 'SIGKILL', maxBuffer: options.maxBytes ?? 64 * 1024 * 1024, env: options.env },
      (error, stdout, stderr) => {
        const raw = stderr.toString('utf8');
        const err = stripAnsi(raw);
        if (error) {
          const e = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
          if (e.code === 'ENOENT') {
            reject(new CameraError('CAMERA_PROGRAM_MISSING', `${program} is not installed or not on PATH; install it or choose another camera.`));
          } else if (e.killed || e.signal === 'SIGKILL') {
            reject(new CameraError('CAMERA_TIMEOUT', `${program} did not deliver a frame within ${options.timeoutMs} ms.`));
          } else if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
            reject(new CameraError('CAMERA_UNAVAILABLE', `${program} wrote more than ${options.maxBytes} bytes; lower the resolution.`));
          } else {
            reject(new CameraError('CAMERA_UNAVAILABLE', `${program} failed (exit ${String(e.code)}): ${lastMeaningfulLine(err) || e.message}`));
          }
          return;
        }
        resolve({ stdout, stderr: raw });
      },
    );
  });
}

/** The most useful line of a program's chatter: the last that is not a progress header. */
export function lastMeaningfulLine(stderr: string): string {
  const lines = stripAnsi(stderr)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('---'));
  return lines.at(-1) ?? '';
}
