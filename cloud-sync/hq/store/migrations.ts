/** Numbered migrations for the HQ store: migrations/<dialect>/NNN_name.sql, no gaps. */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SyncError } from '../../protocol/errors.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dialect: 'sqlite' | 'postgres'): Migration[] {
  const dir = fileURLToPath(new URL(`./migrations/${dialect}/`, import.meta.url));
  const migrations = readdirSync(dir)
    .map((file) => /^(\d{3})_([a-z0-9_]+)\.sql$/.exec(file))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ version: Number(m[1]), name: m[2], sql: readFileSync(`${dir}${m[0]}`, 'utf8') }))
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new SyncError('CONFIG_INVALID', `HQ ${dialect} migrations must be numbered 001, 002, … without gaps; found ${m.version} at position ${i + 1}`);
  });
  return migrations;
}
