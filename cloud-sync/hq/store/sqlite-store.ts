/**
 * The HQ store on SQLite (better-sqlite3): WAL, synchronous=FULL (an acked grade survives a
 * power cut), a busy timeout so several worker processes can share one file.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SyncError } from '../../protocol/errors.ts';
import type { DeviceReleaseV1, DeviceStatusV1, RejectedRecord } from '../../protocol/index.ts';
import { loadMigrations } from './migrations.ts';
import { recordColumns } from './record-digest.ts';
import { clampLimit, type AddKeyOutcome, type BatchToCommit, type CommitResult, type DeviceKey, type DeviceKeyInput, type DeviceSummary, type GradeQuery, type HqGradeRow, type HqStore } from './types.ts';

interface GradeRowRaw {
  ingest_seq: number;
  id: string;
  store_id: string;
  device_id: string;
  device_seq: number;
  created_at: string;
  model_version: string;
  colour: string;
  clarity: string;
  cut: string;
  carat: number;
  batch_id: string;
  ingested_at: string;
  record_json: string;
}

export class SqliteHqStore implements HqStore {
  readonly kind = 'sqlite';
  private db: Database.Database | undefined;

  constructor(
    readonly file: string,
    private readonly options: { busyTimeoutMs?: number; synchronous?: 'FULL' | 'NORMAL' } = {},
  ) {}

  private connection(): Database.Database {
    if (!this.db) throw new SyncError('HQ_STORE_FAILED', 'the HQ store is not open');
    return this.db;
  }

  async open(): Promise<void> {
    if (this.db) return;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      this.db = new Database(this.file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`busy_timeout = ${this.options.busyTimeoutMs ?? 15_000}`);
      this.db.pragma(`synchronous = ${this.options.synchronous ?? 'FULL'}`);
      this.migrate();
    } catch (error) {
      this.db?.close();
      this.db = undefined;
      throw new SyncError('HQ_STORE_FAILED', `cannot open the HQ store ${this.file}: ${(error as Error).message}`);
    }
  }

  private migrate(): void {
    const db = this.connection();
    const migrations = loadMigrations('sqlite');
    // IMMEDIATE takes the write lock first, so two workers starting together migrate once.
    db.transaction(() => {
      db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
      const current = (db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
      const latest = migrations.at(-1)?.version ?? 0;
      if (current > latest) throw new Error(`the database is at schema ${current}, this build knows up to ${latest}; run a newer Loupe`);
      for (const m of migrations.filter((m) => m.version > current)) {
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, new Date().toISOString());
      }
    }).immediate();
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = undefined;
  }

  async commitBatch(batch: BatchToCommit): Promise<CommitResult> {
    const db = this.connection();
    const insert = db.prepare(
      `INSERT INTO grades (id, store_id, device_id, device_seq, created_at, model_version, colour, clarity, cut, carat, record_sha256, record_json, batch_id, ingested_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    );
    const existing = db.prepare('SELECT record_sha256 FROM grades WHERE id = ?');
    const touchDevice = db.prepare(
      `INSERT INTO devices (store_id, device_id, last_batch_at, last_seq, grades_count) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (store_id, device_id) DO UPDATE SET
         last_batch_at = excluded.last_batch_at,
         last_seq = MAX(COALESCE(devices.last_seq, 0), excluded.last_seq),
         grades_count = devices.grades_count + excluded.grades_count`,
    );
    try {
      return db
        .transaction((): CommitResult => {
          const committed: string[] = [];
          const rejected: RejectedRecord[] = [];
          let inserted = 0;
          let lastSeq = 0;
          for (const { seq, record } of batch.records) {
            const { json, sha256 } = recordColumns(record);
            const r = insert.run(
              record.id, batch.storeId, batch.deviceId, seq, record.createdAt, record.modelVersion,
              record.grades.colour.grade, record.grades.clarity.grade, record.grades.cut.grade, record.carat.value,
              sha256, json, batch.batchId, batch.receivedAt,
            );
            if (r.changes === 1) {
              inserted++;
              committed.push(record.id);
            } else if ((existing.get(record.id) as { record_sha256: string }).record_sha256 === sha256) {
              committed.push(record.id);
            } else {
              rejected.push({ id: record.id, code: 'RECORD_CONFLICT', reason: 'HQ already holds a different record with this id; the first one stands' });
            }
            lastSeq = Math.max(lastSeq, seq);
          }
          touchDevice.run(batch.storeId, batch.deviceId, batch.receivedAt, lastSeq, inserted);
          return { committed, rejected, inserted, duplicates: committed.length - inserted };
        })
        .immediate();
    } catch (error) {
      throw new SyncError('HQ_STORE_FAILED', `commit of batch ${batch.batchId} failed: ${(error as Error).message}`);
    }
  }

  async recordStatus(status: DeviceStatusV1): Promise<void> {
    this.connection()
      .prepare(
        `INSERT INTO devices (store_id, device_id, state, status_at, backlog, oldest_unsent_age_s, model_version, status_reason)
         VALUES (@storeId, @deviceId, @state, @at, @backlog, @age, @model, @reason)
         ON CONFLICT (store_id, device_id) DO UPDATE SET
           state = excluded.state, status_at = excluded.status_at, backlog = COALESCE(excluded.backlog, devices.backlog),
           oldest_unsent_age_s = CASE WHEN excluded.backlog IS NULL THEN devices.oldest_unsent_age_s ELSE excluded.oldest_unsent_age_s END,
           model_version = COALESCE(excluded.model_version, devices.model_version), status_reason = excluded.status_reason`,
      )
      .run({
        storeId: status.storeId,
        deviceId: status.deviceId,
        state: status.state,
        at: new Date(status.at).toISOString(),
        backlog: status.backlog,
        age: status.oldestUnsentAgeS,
        model: status.modelVersion,
        reason: status.reason ?? null,
      });
  }

  async recordRelease(report: DeviceReleaseV1): Promise<void> {
    this.connection()
      .prepare(
        `INSERT INTO devices (store_id, device_id, release, release_state, release_code, release_reason, release_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (store_id, device_id) DO UPDATE SET release = excluded.release, release_state = excluded.release_state,
           release_code = excluded.release_code, release_reason = excluded.release_reason, release_at = excluded.release_at`,
      )
      .run(report.storeId, report.deviceId, report.release, report.state, report.code ?? null, report.reason ?? null, new Date(report.at).toISOString());
  }

  async listDevices(): Promise<DeviceSummary[]> {
    const rows = this.connection().prepare('SELECT * FROM devices ORDER BY store_id, device_id').all() as Array<Record<string, unknown>>;
    return rows.map((r) => ({
      storeId: r.store_id as string,
      deviceId: r.device_id as string,
      state: (r.state as DeviceSummary['state']) ?? null,
      statusAt: (r.status_at as string | null) ?? null,
      backlog: (r.backlog as number | null) ?? null,
      oldestUnsentAgeS: (r.oldest_unsent_age_s as number | null) ?? null,
      modelVersion: (r.model_version as string | null) ?? null,
      statusReason: (r.status_reason as string | null) ?? null,
      lastBatchAt: (r.last_batch_at as string | null) ?? null,
      lastSeq: (r.last_seq as number | null) ?? null,
      gradesCount: r.grades_count as number,
      release: r.release
        ? { release: r.release as string, state: r.release_state as 'installed' | 'refused', code: (r.release_code as string | null) ?? null, reason: (r.release_reason as string | null) ?? null, at: r.release_at as string }
        : null,
    }));
  }

  async listGrades(query: GradeQuery = {}): Promise<HqGradeRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.storeId) (where.push('store_id = ?'), params.push(query.storeId));
    if (query.deviceId) (where.push('device_id = ?'), params.push(query.deviceId));
    const order = query.order === 'ingest' ? 'ingest_seq' : 'store_id, device_id, device_seq, ingest_seq';
    const sql = `SELECT * FROM grades ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`;
    const rows = this.connection().prepare(sql).all(...params, clampLimit(query.limit)) as GradeRowRaw[];
    return rows.map((r) => ({
      ingestSeq: r.ingest_seq,
      id: r.id,
      storeId: r.store_id,
      deviceId: r.device_id,
      deviceSeq: r.device_seq,
      createdAt: r.created_at,
      modelVersion: r.model_version,
      colour: r.colour,
      clarity: r.clarity,
      cut: r.cut,
      carat: r.carat,
      batchId: r.batch_id,
      ingestedAt: r.ingested_at,
      record: JSON.parse(r.record_json),
    }));
  }

  async countGrades(query: { storeId?: string; deviceId?: string } = {}): Promise<number> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.storeId) (where.push('store_id = ?'), params.push(query.storeId));
    if (query.deviceId) (where.push('device_id = ?'), params.push(query.deviceId));
    const row = this.connection().prepare(`SELECT COUNT(*) AS n FROM grades ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`).get(...params) as { n: number };
    return row.n;
  }

  async addDeviceKey(key: DeviceKeyInput): Promise<AddKeyOutcome> {
    const db = this.connection();
    return db
      .transaction((): AddKeyOutcome => {
        const held = db.prepare('SELECT revoked_at FROM device_keys WHERE store_id = ? AND device_id = ? AND key_id = ?').get(key.storeId, key.deviceId, key.keyId) as
          | { revoked_at: string | null }
          | undefined;
        if (held) return held.revoked_at === null ? 'present' : 'revoked';
        db.prepare('INSERT INTO device_keys (store_id, device_id, key_id, public_key_pem, added_at) VALUES (?, ?, ?, ?, ?)').run(
          key.storeId, key.deviceId, key.keyId, key.publicKeyPem, new Date(key.addedAt).toISOString(),
        );
        return 'added';
      })
      .immediate();
  }

  async revokeDeviceKey(address: { storeId: string; deviceId: string; keyId: string }, at: string): Promise<boolean> {
    const result = this.connection()
      .prepare('UPDATE device_keys SET revoked_at = ? WHERE store_id = ? AND device_id = ? AND key_id = ? AND revoked_at IS NULL')
      .run(new Date(at).toISOString(), address.storeId, address.deviceId, address.keyId);
    return result.changes === 1;
  }

  async listDeviceKeys(filter: { storeId?: string; deviceId?: string } = {}): Promise<DeviceKey[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.storeId) (where.push('store_id = ?'), params.push(filter.storeId));
    if (filter.deviceId) (where.push('device_id = ?'), params.push(filter.deviceId));
    const rows = this.connection()
      .prepare(`SELECT * FROM device_keys ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY store_id, device_id, added_at, key_id`)
      .all(...params) as Array<Record<string, string | null>>;
    return rows.map((r) => ({
      storeId: r.store_id!,
      deviceId: r.device_id!,
      keyId: r.key_id!,
      publicKeyPem: r.public_key_pem!,
      addedAt: r.added_at!,
      revokedAt: r.revoked_at ?? null,
    }));
  }

  async integrityCheck(): Promise<string> {
    const rows = this.connection().pragma('integrity_check') as Array<{ integrity_check: string }>;
    return rows.map((r) => r.integrity_check).join('; ');
  }
}
