import { SqliteHqStore } from '../../../cloud-sync/hq/store/sqlite-store.ts';
import { trustKey, type TestSigningKey } from '../../../cloud-sync/bench/synthetic-records.ts';

export { makeRecord, testSigningKey, trustKey, type TestSigningKey } from '../../../cloud-sync/bench/synthetic-records.ts';

/** A SQLite HQ store that trusts these devices' keys from its first open, as if an operator had run `loupe hq keys add`. */
export class TrustingSqliteHqStore extends SqliteHqStore {
  constructor(
    file: string,
    private readonly trusted: ReadonlyArray<{ storeId: string; deviceId: string; key: TestSigningKey }>,
  ) {
    super(file);
  }

  override async open(): Promise<void> {
    await super.open();
    for (const { key, ...address } of this.trusted) await trustKey(this, address, key);
  }
}
