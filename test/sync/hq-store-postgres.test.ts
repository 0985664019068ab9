import { randomBytes } from 'node:crypto';
import { PostgresHqStore } from '../../cloud-sync/hq/store/postgres-store.ts';
import { describeHqStore } from './helpers/hq-store-suite.ts';

import { POSTGRES_URL } from './helpers/postgres.ts';

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
