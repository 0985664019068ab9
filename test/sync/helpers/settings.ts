/** Sync settings tuned so tests see timeouts and resends in seconds, not minutes. */
import { syncSectionSchema } from '../../../device/config/sync-section.ts';
import type { SyncSettings } from '../../../cloud-sync/agent/agent.ts';

export function fastSyncSettings(brokerUrl: string, overrides: Record<string, unknown> = {}): SyncSettings {
  const parsed = syncSectionSchema.parse({
    brokerUrl,
    ackTimeoutMs: 1500,
    connectTimeoutMs: 2000,
    operationTimeoutMs: 2000,
    pollIntervalMs: 50,
    statusIntervalMs: 1000,
    backoff: { baseMs: 50, maxMs: 500 },
    batch: { maxRecords: 100, lingerMs: 20 },
    ...overrides,
  });
  return { ...parsed, brokerUrl };
}
