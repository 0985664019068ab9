/** The HQ service of one process: the store, opened and migrated, and one ingest worker. */
import type { SyncLogger } from '../log.ts';
import type { HqConfig } from './config.ts';
import { IngestWorker } from './ingest-worker.ts';
import { createHqStore, type HqStore } from './store/index.ts';

export class HqService {
  private store: HqStore | undefined;
  private worker: IngestWorker | undefined;

  constructor(
    private readonly config: HqConfig,
    private readonly logger: SyncLogger,
  ) {}

  get ingest(): IngestWorker | undefined {
    return this.worker;
  }

  async start(): Promise<void> {
    this.store = createHqStore(this.config.dbSpec);
    await this.store.open();
    this.worker = new IngestWorker({
      brokerUrl: this.config.brokerUrl,
      store: this.store,
      logger: this.logger,
      workerId: this.config.workerId ?? undefined,
      username: this.config.username ?? undefined,
      password: this.config.password ?? undefined,
      connectTimeoutMs: this.config.connectTimeoutMs,
      operationTimeoutMs: this.config.operationTimeoutMs,
      backoff: { ...this.config.backoff, minMs: 100 },
      signatures: this.config.signatures,
    });
    if (this.config.signatures === 'off') this.logger.warn('hq.signatures_off', { reason: 'hq.json sets "signatures": "off": records are committed without checking who signed them' });
    this.worker.start();
    this.logger.info('hq.ready', { worker: this.worker.id, broker: this.config.brokerUrl, store: this.store.kind, signatures: this.config.signatures, pid: process.pid });
  }

  async stop(): Promise<void> {
    await this.worker?.stop();
    await this.store?.close();
    this.logger.info('hq.stopped', { counters: this.worker?.counters });
  }
}
