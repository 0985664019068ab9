/**
 * The real device daemon as a child process: `node bin/loupe.js serve --data DIR --port P
 * --broker URL --camera synthetic`, started, graded through POST /api/grade, and stopped or
 * SIGKILLed by PID.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { LOUPE_BIN, REPO_ROOT, signalAndWait, type LogLine } from '../../../cloud-sync/bench/hq-process.ts';
import { loadOrCreateIdentity } from '../../../provisioning/identity.ts';
import { GradeStore } from '../../../device/store/grade-store.ts';
import type { GradeRecordV1 } from '../../../device/grading/record.ts';
import { makeRecord } from './records.ts';
import { TINY_JPEG } from './device-store.ts';
import { freePort } from '../../helpers/mosquitto.ts';

export interface DaemonOptions {
  dataDir: string;
  brokerUrl: string;
  storeId: string;
  deviceId: string;
  /** Merged into the `sync` section of <data>/config.json. */
  sync?: Record<string, unknown>;
}

/** The sync settings the daemon tests run with: resends and reconnects in seconds. */
export const FAST_DAEMON_SYNC = {
  ackTimeoutMs: 2000,
  connectTimeoutMs: 2000,
  operationTimeoutMs: 2000,
  pollIntervalMs: 100,
  statusIntervalMs: 1000,
  refusedRetryMs: 1000,
  backoff: { baseMs: 100, maxMs: 1000 },
  batch: { maxRecords: 100, lingerMs: 50 },
};

/**
 * One HTTP exchange on a fresh connection. fetch() would reuse a kept-alive socket the daemon
 * may have closed while the test's event loop was busy driving grades.
 */
export function httpJson(method: 'GET' | 'POST', url: string, timeoutMs: number): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: false, timeout: timeoutMs, headers: { accept: 'application/json', 'content-length': 0 } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
        resolve({ status: res.statusCode ?? 0, body });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

export class DaemonProcess {
  port = 0;
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  readonly lines: LogLine[] = [];
  starts = 0;

  constructor(readonly options: DaemonOptions) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Identity and config on disk before the first start, so the test knows the device's ids. */
  prepare(): void {
    mkdirSync(this.options.dataDir, { recursive: true });
    loadOrCreateIdentity(this.options.dataDir, { deviceId: this.options.deviceId, storeId: this.options.storeId });
    writeFileSync(join(this.options.dataDir, 'config.json'), JSON.stringify({ version: 2, sync: { ...FAST_DAEMON_SYNC, ...this.options.sync } }, null, 2));
  }

  events(name: string): LogLine[] {
    return this.lines.filter((l) => l.event === name);
  }

  async start(timeoutMs = 60_000): Promise<void> {
    if (!this.port) this.port = await freePort();
    const argv = [LOUPE_BIN, 'serve', '--data', this.options.dataDir, '--port', String(this.port), '--broker', this.options.brokerUrl, '--camera', 'synthetic'];
    const child = spawn(process.execPath, argv, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOUPE_LOG_LEVEL: 'info' } });
    this.child = child;
    this.starts++;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let buffered = '';
    const logFile = join(this.options.dataDir, '..', 'daemon.log');
    const onData = (chunk: Buffer) => {
      appendFileSync(logFile, chunk);
      buffered += chunk.toString('utf8');
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          this.lines.push(JSON.parse(line) as LogLine);
        } catch {
          this.lines.push({ event: 'text', text: line });
        }
      }
    };
    child.stderr!.on('data', onData);
    child.stdout!.on('data', onData);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) break;
      try {
        if ((await httpJson('GET', `${this.url}/api/health`, 1000)).status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    const tail = this.lines.slice(-15).map((l) => JSON.stringify(l)).join('\n');
    await this.kill();
    throw new Error(`the daemon did not become healthy within ${timeoutMs} ms:\n${tail}`);
  }

  async health(): Promise<{ sync: { state: string; backlog: number; refused: string | null }; model: { name: string; version: string } } & Record<string, unknown>> {
    return (await httpJson('GET', `${this.url}/api/health`, 5000)).body as never;
  }

  /** POST /api/grade; a refused frame (422) is a normal answer, not an error. */
  async grade(): Promise<{ status: number; record?: GradeRecordV1 }> {
    const res = await httpJson('POST', `${this.url}/api/grade`, 30_000);
    return { status: res.status, record: (res.body as { record?: GradeRecordV1 } | undefined)?.record };
  }

  async stop(timeoutMs = 15_000): Promise<void> {
    await this.signal('SIGTERM', timeoutMs);
  }

  async kill(): Promise<void> {
    await this.signal('SIGKILL', 10_000);
  }

  private async signal(signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    await signalAndWait(child.pid, this.running, this.exited!, signal, timeoutMs);
    this.child = undefined;
  }
}

/**
 * The test-only volume driver: writes grades signed with the daemon's own identity into the
 * daemon's store through the real store API (GradeStore.save), from the test process. Grading
 * a thousand synthetic stones through POST /api/grade would take minutes of CPU on CI; the
 * sync agent reads the same outbox either way.
 */
export function driveGrades(dataDir: string, n: number, chunk = 50): GradeRecordV1[] {
  const identity = loadOrCreateIdentity(dataDir);
  const store = new GradeStore(dataDir);
  store.open();
  try {
    const key = { keyId: identity.keyId, privateKey: identity.privateKey };
    const records: GradeRecordV1[] = [];
    const db = store.connection();
    for (let done = 0; done < n; done += chunk) {
      // One transaction per chunk: the daemon sees the grades arrive in steps, as at a busy counter.
      // IMMEDIATE takes the write lock up front: a deferred one that reads first cannot upgrade
      // (SQLITE_BUSY) once the daemon has written in between.
      db.transaction(() => {
        for (let i = done; i < Math.min(n, done + chunk); i++) {
          const record = makeRecord({ storeId: identity.storeId, deviceId: identity.deviceId, key, i });
          store.save({ record, thumbnailJpeg: TINY_JPEG, frame: { bytes: TINY_JPEG, ext: 'jpg' } });
          records.push(record);
        }
      }).immediate();
    }
    return records;
  } finally {
    store.close();
  }
}
