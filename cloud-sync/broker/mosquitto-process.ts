/**
 * A real Mosquitto 2.x broker (MQTT 5) for tests and benches (a local broker, not the fleet's): its own loopback port, its own config file
 * and persistence folder, started and stopped by PID. A restart keeps the port and the
 * persistence file, so persistent sessions and their queued messages survive it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync, readFileSync, type WriteStream } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const MOSQUITTO_BINARY = process.env.LOUPE_MOSQUITTO ?? '/usr/sbin/mosquitto';

export interface MosquittoOptions {
  /** A fixed port; a free one is picked otherwise. */
  port?: number;
  /** Folder for the config, the persistence file and the log; a temp folder otherwise. */
  dir?: string;
  /** Extra lines appended to the config file. */
  extraConfig?: string[];
  /** Log-ins from a mosquitto_passwd file and an acl_file (cloud-sync/broker/acl.ts); anonymous otherwise. */
  auth?: { passwordFile: string; aclFile: string };
  startTimeoutMs?: number;
}

/** Asks the kernel for a free loopback port. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class MosquittoBroker {
  port = 0;
  dir = '';
  private child: ChildProcess | undefined;
  private log: WriteStream | undefined;
  private exited: Promise<void> | undefined;

  constructor(private readonly options: MosquittoOptions = {}) {}

  get url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get logPath(): string {
    return join(this.dir, 'mosquitto.log');
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  logText(): string {
    try {
      return readFileSync(this.logPath, 'utf8');
    } catch {
      return '';
    }
  }

  async start(): Promise<void> {
    if (this.child) return;
    if (!this.port) this.port = this.options.port ?? (await freePort());
    if (!this.dir) this.dir = this.options.dir ?? mkdtempSync(join(tmpdir(), 'loupe-mosquitto-'));
    mkdirSync(join(this.dir, 'persistence'), { recursive: true });
    const configPath = join(this.dir, 'mosquitto.conf');
    writeFileSync(
      configPath,
      [
        `listener ${this.port} 127.0.0.1`,
        ...(this.options.auth
          ? ['allow_anonymous false', `password_file ${this.options.auth.passwordFile}`, `acl_file ${this.options.auth.aclFile}`]
          : ['allow_anonymous true']),
        'persistence true',
        `persistence_location ${join(this.dir, 'persistence')}/`,
        // Running as root in CI containers; without this mosquitto drops to a user that cannot write the temp folder.
        'user root',
        'max_queued_messages 1000000',
        'max_queued_bytes 0',
        'max_inflight_messages 0',
        'message_size_limit 0',
        'log_dest stdout',
        'log_type error',
        'log_type warning',
        'log_type notice',
        'log_type information',
        'connection_messages true',
        ...(this.options.extraConfig ?? []),
        '',
      ].join('\n'),
    );
    this.log = createWriteStream(this.logPath, { flags: 'a' });
    const child = spawn(MOSQUITTO_BINARY, ['-c', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 10_000);
    let exitedEarly = false;
    void this.exited.then(() => (exitedEarly = true));
    while (Date.now() < deadline) {
      if (exitedEarly) break;
      if (await canConnect(this.port)) return;
      await sleep(25);
    }
    await this.stop('SIGKILL');
    throw new Error(`mosquitto did not start on port ${this.port}:\n${this.logText().slice(-2000)}`);
  }

  /** SIGTERM saves the persistence file; SIGKILL loses what was not yet saved. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<void> {
    const child = this.child;
    if (!child || !child.pid) return;
    if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, signal);
    const timedOut = await Promise.race([this.exited!.then(() => false), sleep(timeoutMs).then(() => true)]);
    if (timedOut && child.pid) {
      process.kill(child.pid, 'SIGKILL');
      await this.exited;
    }
    this.child = undefined;
    this.exited = undefined;
    this.log?.end();
    this.log = undefined;
  }

  /** Stops the broker and deletes its folder (config, persistence, log), unless the caller gave the folder. */
  async remove(): Promise<void> {
    await this.stop();
    if (this.dir && !this.options.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}
