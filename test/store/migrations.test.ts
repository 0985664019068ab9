import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../device/store/database.ts';
import { loadMigrations, migrate } from '../../device/store/migrate.ts';
import { tempDir } from './fixtures.ts';

describe('store migrations on a fresh file', () => {
  const temps: Array<{ remove: () => void }> = [];
  afterEach(() => temps.splice(0).forEach((t) => t.remove()));
  const fresh = () => {
    const t = tempDir();
    temps.push(t);
    return t.dir;
  };

  it('applies every numbered migration once, tracked in schema_migrations, with WAL and foreign keys on', () => {
    const file = join(fresh(), 'loupe.db');
    const db = openDatabase(file);
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>;
    expect(versions.map((v) => v.version)).toEqual(loadMigrations().map((m) => m.version));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['grades', 'grade_images', 'outbox', 'schema_migrations']));
    expect(migrate(db)).toEqual([]); // second run: nothing to do
    db.close();
    const reopened = openDatabase(file);
    expect((reopened.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(versions.length);
    reopened.close();
  });

  it('refuses a database from a newer build', () => {
    const file = join(fresh(), 'loupe.db');
    openDatabase(file).close();
    const raw = new Database(file);
    raw.prepare("INSERT INTO schema_migrations VALUES (999, 'future', '2030-01-01')").run();
    raw.close();
    expect(() => openDatabase(file)).toThrow(expect.objectContaining({ code: 'STORE_SCHEMA_TOO_NEW' }));
  });

  it('rolls back a failing migration completely and names it', () => {
    const dir = fresh();
    const migrations = join(dir, 'migrations');
    mkdirSync(migrations);
    writeFileSync(join(migrations, '001_a.sql'), 'CREATE TABLE a (x INTEGER);');
    writeFileSync(join(migrations, '002_broken.sql'), 'CREATE TABLE b (y INTEGER); INSERT INTO nope VALUES (1);');
    const db = new Database(join(dir, 'x.db'));
    expect(() => migrate(db, loadMigrations(migrations))).toThrow(/002_broken failed/);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type='table'").all() as Array<{ name: string }>).map((t) => t.name);
    expect(tables).toContain('a');
    expect(tables).not.toContain('b');
    expect((db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v).toBe(1);
    db.close();
  });

  it('refuses gaps in the numbering', () => {
    const dir = fresh();
    writeFileSync(join(dir, '001_a.sql'), 'SELECT 1;');
    writeFileSync(join(dir, '003_c.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(expect.objectContaining({ code: 'STORE_MIGRATION_FAILED' }));
  });
});
