export type StoreErrorCode =
  | 'STORE_OPEN_FAILED'
  | 'STORE_MIGRATION_FAILED'
  | 'STORE_SCHEMA_TOO_NEW'
  | 'STORE_DUPLICATE_ID'
  | 'STORE_WRITE_FAILED'
  | 'STORE_RECORD_CORRUPT';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}
