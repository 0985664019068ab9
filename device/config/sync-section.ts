/**
 * The `sync` section of the device config. Owned with cloud-sync/agent: extend it here.
 * brokerUrl null = offline (grades queue in the outbox). Every other key has a default, so a
 * file that names only brokerUrl stays valid.
 */
import { z } from 'zod';

const ms = (min: number, max: number, fallback: number) => z.number().int().min(min).max(max).default(fallback);

export const syncSectionSchema = z
  .object({
    brokerUrl: z
      .string()
      .regex(/^(mqtts?|wss?):\/\/[^\s/]+/, { error: 'expected mqtt://HOST[:PORT], mqtts://, ws:// or wss://, or null for offline' })
      .nullable()
      .default(null),
    /** Broker credentials from provisioning; null for an anonymous broker. */
    username: z.string().min(1).nullable().default(null),
    password: z.string().min(1).nullable().default(null),
    /** How long the broker keeps this device's session (queued acks) while it is offline. */
    sessionExpiryS: z.number().int().min(0).max(0xffffffff).default(7 * 24 * 3600),
    batch: z
      .object({
        maxRecords: z.number().int().min(1).max(5000).default(500),
        maxBytes: z.number().int().min(16 * 1024).max(8 * 1024 * 1024).default(1024 * 1024),
        /** A partial batch waits at most this long for more grades before it goes. */
        lingerMs: ms(0, 60_000, 250),
      })
      .strict()
      .prefault({}),
    /** Batches published and not yet acked by HQ. */
    window: z.number().int().min(1).max(64).default(4),
    ackTimeoutMs: ms(100, 600_000, 15_000),
    connectTimeoutMs: ms(100, 120_000, 10_000),
    operationTimeoutMs: ms(100, 120_000, 5_000),
    backoff: z
      .object({ baseMs: ms(10, 60_000, 500), maxMs: ms(100, 3_600_000, 60_000) })
      .strict()
      .prefault({}),
    pollIntervalMs: ms(10, 60_000, 500),
    statusIntervalMs: ms(100, 3_600_000, 30_000),
    /**
     * After HQ refuses this device's key (not enrolled, or revoked), send nothing new for this
     * long, then offer one window again: an operator who enrols the device late waits at most
     * this long, and an unenrolled device costs one window of traffic per interval.
     */
    refusedRetryMs: ms(100, 86_400_000, 300_000),
    /**
     * HQ's release public key (PEM file). null = <data>/identity/hq-release-key.pem if it exists;
     * without a key the device takes no model releases over MQTT.
     */
    releaseKeyFile: z.string().min(1).nullable().default(null),
    /** How often free disk is checked against retention.minFreeDiskMb. */
    diskCheckIntervalMs: ms(1000, 3_600_000, 60_000),
  })
  .strict();

export type SyncSection = z.infer<typeof syncSectionSchema>;
