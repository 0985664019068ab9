import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SqliteHqStore } from '../../cloud-sync/hq/store/sqlite-store.ts';
import { describeHqStore } from './helpers/hq-store-suite.ts';

describeHqStore('SQLite', {
  async create() {
    return new SqliteHqStore(join(mkdtempSync(join(tmpdir(), 'loupe-hq-sqlite-')), 'hq.db'));
  },
  async destroy(store) {
    await store.close();
    rmSync(dirname((store as SqliteHqStore).file), { recursive: true, force: true });
  },
});
