/**
 * The `sync` section of the device config. Owned with cloud-sync/agent: extend it here.
 * brokerUrl null = offline (grades queue in the outbox).
 */
import { z } from 'zod';

export const syncSectionSchema = z
  .object({
    brokerUrl: z
      .string()
      .regex(/^(mqtts?|wss?):\/\/[^\s/]+/, { error: 'expected mqtt://HOST[:PORT], mqtts://, ws:// or wss://, or null for offline' })
      .nullable()
      .default(null),
  })
  .strict();

export type SyncSection = z.infer<typeof syncSectionSchema>;
