/**
 * Loads the config: defaults ← <dataDir>/config.json (migrated) ← CLI flags. The data dir
 * itself comes from --data, else $LOUPE_DATA, else ./data.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError } from './errors.ts';
import { migrateConfig } from './migrations.ts';
import { CONFIG_VERSION, configSchema, type LoupeConfig } from './schema.ts';

export const CONFIG_FILE = 'config.json';

export interface ConfigOverrides {
  dataDir?: string;
  port?: number;
  cameraSpec?: string;
  brokerUrl?: string | null;
  releaseDir?: string;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.LOUPE_DATA && env.LOUPE_DATA.length > 0 ? env.LOUPE_DATA : 'data');
}

export function formatIssues(error: z.ZodError): Array<{ path: string; message: string }> {
  return error.issues.map((issue) => ({ path: issue.path.length > 0 ? issue.path.join('.') : '(root)', message: issue.message }));
}

/** Validates a raw object (already migrated); throws ConfigError with one "path: reason" line per problem. */
export function parseConfig(raw: unknown): LoupeConfig {
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = formatIssues(parsed.error);
  throw new ConfigError('CONFIG_INVALID', issues.map((i) => `${i.path}: ${i.message}`).join('\n'), issues);
}

export function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError('CONFIG_UNREADABLE', `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError('CONFIG_UNREADABLE', `${file}: not valid JSON (${(error as Error).message})`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError('CONFIG_INVALID', '(root): expected a JSON object', [{ path: '(root)', message: 'expected a JSON object' }]);
  }
  return raw as Record<string, unknown>;
}

export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): LoupeConfig {
  const dataDir = overrides.dataDir ? resolve(overrides.dataDir) : defaultDataDir(env);
  const file = join(dataDir, CONFIG_FILE);
  const fromFile = existsSync(file) ? migrateConfig(readConfigFile(file)) : { version: CONFIG_VERSION };
  if ('dataDir' in fromFile) {
    throw new ConfigError('CONFIG_INVALID', `dataDir: set it with --data or $LOUPE_DATA, not inside ${file}`, [{ path: 'dataDir', message: 'not allowed in the file' }]);
  }
  const merged = mergeDeep(fromFile, {
    // The data dir is where the file was found; a dataDir inside the file is refused as unknown.
    dataDir,
    ...(overrides.port !== undefined && { http: { port: overrides.port } }),
    ...(overrides.cameraSpec !== undefined && { camera: { spec: overrides.cameraSpec } }),
    ...(overrides.releaseDir !== undefined && { model: { releaseDir: resolve(overrides.releaseDir) } }),
    ...(overrides.brokerUrl !== undefined && { sync: { brokerUrl: overrides.brokerUrl } }),
  });
  return parseConfig(merged);
}

function mergeDeep(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const existing = out[key];
    out[key] =
      value && typeof value === 'object' && !Array.isArray(value) && existing && typeof existing === 'object' && !Array.isArray(existing)
        ? mergeDeep(existing as Record<string, unknown>, value as Record<string, unknown>)
        : value;
  }
  return out;
}
