/**
 * One sync scenario with real parts: a Mosquitto broker, HQ as `loupe hq serve` processes and the
 * device daemon as `loupe serve`, each in its own temp folder, torn down by PID.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { HqProcess } from '../../../cloud-sync/bench/hq-process.ts';
import { deviceKeyFromIdentity } from '../../../cloud-sync/hq/device-keys.ts';
import { withHqStore, type HqStore } from '../../../cloud-sync/hq/store/index.ts';
import { IDENTITY_DIR, IDENTITY_FILE } from '../../../provisioning/identity.ts';
import { MosquittoBroker } from '../../helpers/mosquitto.ts';
import { DaemonProcess } from './daemon.ts';

export interface ScenarioOptions {
  name: string;
  /** --db for the HQ workers; SQLite in the scenario folder by default. */
  hqDb?: string;
  sync?: Record<string, unknown>;
  hqLogLevel?: 'debug' | 'info';
  /** Register the daemon's key at HQ before it starts (default true), as an enrolled device. */
  trust?: boolean;
  /** Runs on the daemon's prepared data folder before its first start (e.g. to provision files). */
  beforeDaemonStart?: (dataDir: string) => void | Promise<void>;
}

export class Scenario {
  readonly root: string;
  readonly broker: MosquittoBroker;
  /** Created in start(), once the broker's port is known. */
  daemon!: DaemonProcess;
  readonly hqWorkers: HqProcess[] = [];
  readonly address: { storeId: string; deviceId: string };
  readonly hqDb: string;

  constructor(readonly options: ScenarioOptions) {
    this.root = mkdtempSync(join(tmpdir(), `loupe-${options.name}-`));
    this.broker = new MosquittoBroker({ dir: join(this.root, 'broker') });
    this.address = { storeId: 'store-it', deviceId: `dev-${options.name}` };
    this.hqDb = options.hqDb ?? `sqlite:${join(this.root, 'hq', 'hq.db')}`;
  }

  async start(workers = 1): Promise<void> {
    await this.broker.start();
    this.daemon = new DaemonProcess({ dataDir: join(this.root, 'device'), brokerUrl: this.broker.url, ...this.address, sync: this.options.sync });
    for (let i = 0; i < workers; i++) await this.addWorker();
    this.daemon.prepare();
    if (this.options.trust !== false) await this.trustDevice();
    await this.options.beforeDaemonStart?.(this.daemon.options.dataDir);
    await this.daemon.start();
  }

  async addWorker(): Promise<HqProcess> {
    const worker = new HqProcess({ brokerUrl: this.broker.url, dataDir: join(this.root, 'hq'), db: this.hqDb, logLevel: this.options.hqLogLevel, logPath: join(this.root, `hq-${this.hqWorkers.length}.log`) });
    this.hqWorkers.push(worker);
    await worker.start();
    return worker;
  }

  /** Registers the daemon's key at HQ from its identity file, as `loupe hq keys add --identity` does. */
  async trustDevice(): Promise<void> {
    const file = join(this.daemon.options.dataDir, IDENTITY_DIR, IDENTITY_FILE);
    const key = deviceKeyFromIdentity(JSON.parse(readFileSync(file, 'utf8')), file);
    await this.withHq((store) => store.addDeviceKey(key));
  }

  /** A read connection to HQ's store, opened per call so it never blocks the workers. */
  withHq<T>(fn: (store: HqStore) => Promise<T>): Promise<T> {
    return withHqStore(this.hqDb, fn);
  }

  hqCount(): Promise<number> {
    return this.withHq((s) => s.countGrades({ deviceId: this.address.deviceId }));
  }

  /** Ids in the device's store (every grade it committed), read straight from its SQLite file. */
  deviceGradeIds(): string[] {
    const db = new Database(join(this.daemon.options.dataDir, 'loupe.db'), { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT id FROM grades').all() as Array<{ id: string }>).map((r) => r.id);
    } finally {
      db.close();
    }
  }

  deviceOutboxCount(): number {
    const db = new Database(join(this.daemon.options.dataDir, 'loupe.db'), { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
    } finally {
      db.close();
    }
  }

  deviceIntegrity(): string {
    const db = new Database(join(this.daemon.options.dataDir, 'loupe.db'), { fileMustExist: true });
    try {
      return (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; ');
    } finally {
      db.close();
    }
  }

  async stop(): Promise<void> {
    await this.daemon?.stop().catch(() => undefined);
    for (const w of this.hqWorkers) await w.stop().catch(() => undefined);
    await this.broker.stop().catch(() => undefined);
    // LOUPE_KEEP_TEST_DIRS=1 keeps the logs and databases for a post-mortem.
    if (!process.env.LOUPE_KEEP_TEST_DIRS) rmSync(this.root, { recursive: true, force: true });
  }
}
