/**
 * The sync agent as the daemon plugs it in: the MQTT agent plus the disk guard, built from the
 * device config, the grade store and the identity. start()/stop()/status().
 */
import type { LoupeConfig } from '../../device/config/schema.ts';
import { applyRetention, statfsFreeBytes, type FreeDiskProbe } from '../../device/store/retention.ts';
import type { GradeStore } from '../../device/store/grade-store.ts';
import { createJsonLogger, type SyncLogger } from '../log.ts';
import type { DeviceAddress } from '../protocol/index.ts';
import { SyncAgent, type SyncAgentStatus } from './agent.ts';
import { DiskGuard } from './disk-guard.ts';

export { SyncAgent, type SyncAgentStatus, type SyncAgentDeps, type SyncSettings } from './agent.ts';
export { DiskGuard } from './disk-guard.ts';

export interface DeviceSync {
  start(): void;
  stop(): Promise<void>;
  /** Call after each committed grade. */
  notify(): void;
  status(): SyncAgentStatus | { state: 'offline'; backlog: number; brokerUrl: null };
}

export interface DeviceSyncDeps {
  config: LoupeConfig;
  store: GradeStore;
  identity: DeviceAddress;
  modelVersion: () => string | null;
  logger?: SyncLogger;
  freeDisk?: FreeDiskProbe;
}

export function createDeviceSync(deps: DeviceSyncDeps): DeviceSync {
  const logger = deps.logger ?? createJsonLogger('sync');
  const { config, store } = deps;
  const freeDisk = deps.freeDisk ?? statfsFreeBytes;
  const guard = new DiskGuard({
    freeBytes: () => freeDisk(store.dataDir),
    thresholdBytes: config.retention.minFreeDiskMb * 1024 * 1024,
    applyRetention: () => applyRetention(store, config.retention, { freeDisk }),
    intervalMs: config.sync.diskCheckIntervalMs,
    logger,
  });
  const brokerUrl = config.sync.brokerUrl;
  const agent = brokerUrl
    ? new SyncAgent({ outbox: store.outbox, identity: deps.identity, settings: { ...config.sync, brokerUrl }, logger, modelVersion: deps.modelVersion })
    : undefined;
  return {
    start() {
      guard.start();
      agent?.start();
      if (!agent) logger.info('sync.disabled', { reason: 'sync.brokerUrl is null: grades stay in the outbox until a broker is set' });
    },
    async stop() {
      guard.stop();
      await agent?.stop();
    },
    notify() {
      agent?.notify();
    },
    status() {
      return agent ? agent.status() : { state: 'offline', backlog: store.outbox.backlog().count, brokerUrl: null };
    },
  };
}
