/**
 * HQ settings: defaults ← <data>/hq.json ← CLI flags (--broker, --db). One zod schema; an error
 * names the path of each bad key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { SyncError } from '../protocol/errors.ts';
import { SIGNATURE_POLICIES } from './signatures.ts';

export const HQ_CONFIG_FILE = 'hq.json';

export const hqConfigSchema = z
  .object({
    brokerUrl: z.string().regex(/^(mqtts?|wss?):\/\/[^\s/]+/, { error: 'expected mqtt://HOST[:PORT], mqtts://, ws:// or wss://' }).default('mqtt://127.0.0.1:1883'),
    /** sqlite:PATH or postgres://…; null = sqlite:<data>/hq.db */
    db: z.string().min(1).nullable().default(null),
    username: z.string().min(1).nullable().default(null),
    password: z.string().min(1).nullable().default(null),
    /** Fixed MQTT client id; null = hq-<host>-<pid>-<random>, unique per worker. */
    workerId: z.string().min(1).max(200).nullable().default(null),
    /** "enforce": commit only records that verify against the device's registered key (loupe hq keys add). */
    signatures: z.enum(SIGNATURE_POLICIES).default('enforce'),
    connectTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    operationTimeoutMs: z.number().int().min(100).max(120_000).default(5_000),
    backoff: z
      .object({ baseMs: z.number().int().min(10).default(500), maxMs: z.number().int().min(100).default(30_000) })
      .strict()
      .prefault({}),
  })
  .strict();

export type HqConfig = z.infer<typeof hqConfigSchema> & { dataDir: string; dbSpec: string };

export interface HqOverrides {
  dataDir?: string;
  brokerUrl?: string;
  db?: string;
  workerId?: string;
}

export function defaultHqDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.LOUPE_HQ_DATA && env.LOUPE_HQ_DATA.length > 0 ? env.LOUPE_HQ_DATA : 'data-hq');
}

export function loadHqConfig(overrides: HqOverrides = {}, env: NodeJS.ProcessEnv = process.env): HqConfig {
  const dataDir = overrides.dataDir ? resolve(overrides.dataDir) : defaultHqDataDir(env);
  const file = join(dataDir, HQ_CONFIG_FILE);
  let fromFile: unknown = {};
  if (existsSync(file)) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new SyncError('CONFIG_INVALID', `${file}: not valid JSON (${(error as Error).message})`);
    }
  }
  const merged = {
    ...(fromFile as object),
    ...(overrides.brokerUrl !== undefined && { brokerUrl: overrides.brokerUrl }),
    ...(overrides.db !== undefined && { db: overrides.db }),
    ...(overrides.workerId !== undefined && { workerId: overrides.workerId }),
  };
  const parsed = hqConfigSchema.safeParse(merged);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new SyncError('CONFIG_INVALID', `HQ settings (${file} and flags):\n${lines.join('\n')}`);
  }
  return { ...parsed.data, dataDir, dbSpec: parsed.data.db ?? `sqlite:${join(dataDir, 'hq.db')}` };
}
