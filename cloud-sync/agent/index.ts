/**
 * The sync agent as the daemon plugs it in: the MQTT agent plus the disk guard, built from the
 * device config, the grade store and the identity. start()/stop()/status().
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LoupeConfig } from '../../device/config/schema.ts';
import { applyRetention, statfsFreeBytes, type FreeDiskProbe } from '../../device/store/retention.ts';
import type { GradeStore } from '../../device/store/grade-store.ts';
import { createJsonLogger, type SyncLogger } from '../log.ts';
import type { DeviceAddress } from '../protocol/index.ts';
import { SyncAgent, type SyncAgentStatus } from './agent.ts';
import { IDENTITY_DIR, RELEASE_KEY_FILE } from '../../provisioning/identity.ts';
import { SyncError } from '../protocol/errors.ts';
import { DiskGuard } from './disk-guard.ts';
import { ReleaseFollower, type ReleaseFollowerDeps } from './release-follower.ts';

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
  /** The model host, for releases over MQTT; without it (or without HQ's release key) none are taken. */
  models?: ReleaseFollowerDeps['models'];
  logger?: SyncLogger;
  freeDisk?: FreeDiskProbe;
}

/** HQ's release public key: the configured file, else <data>/identity/hq-release-key.pem if present. */
export function loadReleaseKey(config: LoupeConfig): KeyObject | undefined {
  const file = config.sync.releaseKeyFile ? resolve(config.dataDir, config.sync.releaseKeyFile) : join(config.dataDir, IDENTITY_DIR, RELEASE_KEY_FILE);
  if (!config.sync.releaseKeyFile && !existsSync(file)) return undefined;
  let key: KeyObject;
  try {
    key = createPublicKey(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new SyncError('CONFIG_INVALID', `sync.releaseKeyFile ${file}: not a readable public key PEM (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new SyncError('CONFIG_INVALID', `sync.releaseKeyFile ${file}: a ${key.asymmetricKeyType} key, not ed25519`);
  return key;
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
  const releaseKey = brokerUrl && deps.models ? loadReleaseKey(config) : undefined;
  const releases =
    brokerUrl && deps.models && releaseKey
      ? new ReleaseFollower({
          settings: { ...config.sync, brokerUrl },
          identity: deps.identity,
          releaseKey,
          dataDir: config.dataDir,
          models: deps.models,
          logger,
        })
      : undefined;
  return {
    start() {
      guard.start();
      agent?.start();
      releases?.start();
      if (!agent) logger.info('sync.disabled', { reason: 'sync.brokerUrl is null: grades stay in the outbox until a broker is set' });
      else if (!releases) logger.info('releases.disabled', { reason: `no HQ release key (sync.releaseKeyFile, or ${IDENTITY_DIR}/${RELEASE_KEY_FILE}): model releases over MQTT are not taken` });
    },
    async stop() {
      guard.stop();
      await releases?.stop();
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
