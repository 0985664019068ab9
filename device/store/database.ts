/** Opens the device database: WAL, foreign keys, a busy timeout, durable commits, migrated. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from './errors.ts';
import { migrate } from './migrate.ts';

export const BUSY_TIMEOUT_MS = 5000;

export function openDatabase(file: string): Database.Database {
  let db: Database.Database;
  try {
    mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
  } catch (error) {
    throw new StoreError('STORE_OPEN_FAILED', `cannot open the database ${file}: ${(error as Error).message}`, { cause: error });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // FULL: a committed grade survives a power cut (the appliance must lose nothing).
    db.pragma('synchronous = FULL');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
