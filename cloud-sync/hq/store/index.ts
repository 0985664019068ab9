/** Picks the HQ store from a --db spec: sqlite:PATH (default) or postgres://… */
import { resolve } from 'node:path';
import { SyncError } from '../../protocol/errors.ts';
import { PostgresHqStore } from './postgres-store.ts';
import { SqliteHqStore } from './sqlite-store.ts';
import type { HqStore } from './types.ts';

export * from './types.ts';
export { SqliteHqStore } from './sqlite-store.ts';
export { PostgresHqStore, parsePostgresUrl } from './postgres-store.ts';

export function createHqStore(spec: string): HqStore {
  if (spec.startsWith('sqlite:')) {
    const path = spec.slice('sqlite:'.length);
    if (!path) throw new SyncError('CONFIG_INVALID', '--db sqlite: needs a path, e.g. sqlite:/var/lib/loupe-hq/hq.db');
    return new SqliteHqStore(resolve(path));
  }
  if (spec.startsWith('postgres://') || spec.startsWith('postgresql://')) return new PostgresHqStore(spec);
  throw new SyncError('CONFIG_INVALID', `--db "${spec}": expected sqlite:PATH or postgres://USER@HOST:PORT/DB[?schema=NAME]`);
}

/** Opens (and migrates) the store for one job and closes it after, as each `loupe hq` command does. */
export async function withHqStore<T>(spec: string, fn: (store: HqStore) => Promise<T>): Promise<T> {
  const store = createHqStore(spec);
  await store.open();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
