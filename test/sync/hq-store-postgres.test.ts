import { randomBytes } from 'node:crypto';
import { PostgresHqStore } from '../../cloud-sync/hq/store/postgres-store.ts';
import { describeHqStore } from './helpers/hq-store-suite.ts';

export const POSTGRES_URL = process.env.LOUPE_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

describeHqStore('PostgreSQL', {
  async create() {
    return new PostgresHqStore(`${POSTGRES_URL}?schema=loupe_test_${process.pid}_${randomBytes(4).toString('hex')}`);
  },
  async destroy(store) {
    const pg = store as PostgresHqStore;
    await pg.dropSchema();
    await pg.close();
  },
});
