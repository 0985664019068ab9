/**
 * The real HQ service as a child process (`node bin/loupe.js hq serve …`), for the benchmark and
 * the integration tests: started, watched through its JSON log lines, stopped or killed by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LOUPE_BIN = fileURLToPath(new URL('../../bin/loupe.js', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface LogLine {
  event?: string;
  [key: string]: unknown;
}

export class HqProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;
  readonly lines: LogLine[] = [];
  private logFile: WriteStream | undefined;

  constructor(private readonly args: { brokerUrl: string; dataDir: string; db?: string; workerId?: string; logPath?: string; logLevel?: 'debug' | 'info' | 'warn' }) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  events(name: string): LogLine[] {
    return this.lines.filter((l) => l.event === name);
  }

  /** Resolves once the worker is subscribed (its `mqtt.online` line). */
  async start(timeoutMs = 30_000): Promise<void> {
    const argv = [LOUPE_BIN, 'hq', 'serve', '--broker', this.args.brokerUrl, '--data', this.args.dataDir];
    if (this.args.db) argv.push('--db', this.args.db);
    if (this.args.workerId) argv.push('--worker-id', this.args.workerId);
    const child = spawn(process.execPath, argv, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOUPE_LOG_LEVEL: this.args.logLevel ?? 'info' } });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    if (this.args.logPath) this.logFile = createWriteStream(this.args.logPath, { flags: 'a' });
    let buffered = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      this.logFile?.write(chunk);
      buffered += chunk.toString('utf8');
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          this.lines.push(JSON.parse(line) as LogLine);
        } catch {
          this.lines.push({ event: 'stderr', text: line });
        }
      }
    });
    child.stdout!.on('data', (chunk: Buffer) => this.logFile?.write(chunk));
    const deadline = Date.now() + timeoutMs;
    const startIndex = this.lines.length;
    while (Date.now() < deadline) {
      if (this.lines.slice(startIndex).some((l) => l.event === 'mqtt.online')) return;
      if (!this.running) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const tail = this.lines.slice(-10).map((l) => JSON.stringify(l)).join('\n');
    await this.kill();
    throw new Error(`loupe hq serve did not come online within ${timeoutMs} ms:\n${tail}`);
  }

  /** SIGTERM: a clean stop. */
  async stop(timeoutMs = 10_000): Promise<void> {
    await this.signal('SIGTERM', timeoutMs);
  }

  /** SIGKILL: the worker dies with whatever it held. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL', 10_000);
  }

  private async signal(signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    await signalAndWait(child.pid, this.running, this.exited!, signal, timeoutMs);
    this.child = undefined;
    this.logFile?.end();
    this.logFile = undefined;
  }
}

/**
 * Sends `signal` to a child that is still running and waits for it to exit; past the timeout
 * it is SIGKILLed, so a stop never hangs.
 */
export async function signalAndWait(pid: number, running: boolean, exited: Promise<unknown>, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (running) process.kill(pid, signal);
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs)))]);
  clearTimeout(timer);
  if (!done) {
    process.kill(pid, 'SIGKILL');
    await exited;
  }
}
