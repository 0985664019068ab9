/**
 * The HQ store on PostgreSQL (pg), for a fleet. `postgres://HOST/DB?schema=NAME` puts the
 * tables in their own schema (tests use one per run). Every query has a timeout.
 */
import pg from 'pg';
import { SyncError } from '../../protocol/errors.ts';
import type { DeviceReleaseV1, DeviceStatusV1, RejectedRecord } from '../../protocol/index.ts';
import { loadMigrations } from './migrations.ts';
import { recordColumns } from './record-digest.ts';
import { clampLimit, type AddKeyOutcome, type BatchToCommit, type CommitResult, type DeviceKey, type DeviceKeyInput, type DeviceSummary, type GradeQuery, type HqGradeRow, type HqStore } from './types.ts';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const MIGRATION_LOCK = 0x4c4f5550; // "LOUP": one advisory lock for migrations, fleet-wide

export interface PostgresTarget {
  connectionString: string;
  schema: string;
}

/** Splits `?schema=` off a postgres:// URL (pg would pass it to the server as a setting). */
export function parsePostgresUrl(url: string): PostgresTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SyncError('CONFIG_INVALID', `not a postgres:// URL: ${url}`);
  }
  const schema = parsed.searchParams.get('schema') ?? 'loupe_hq';
  if (!SCHEMA_NAME.test(schema)) throw new SyncError('CONFIG_INVALID', `schema "${schema}": use lower-case letters, digits and _ (at most 63)`);
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}

const iso = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : v == null ? null : String(v));

export class PostgresHqStore implements HqStore {
  readonly kind = 'postgres';
  private pool: pg.Pool | undefined;
  private readonly target: PostgresTarget;

  constructor(
    url: string,
    private readonly options: { queryTimeoutMs?: number; connectTimeoutMs?: number; poolSize?: number } = {},
  ) {
    this.target = parsePostgresUrl(url);
  }

  get schema(): string {
    return this.target.schema;
  }

  private db(): pg.Pool {
    if (!this.pool) throw new SyncError('HQ_STORE_FAILED', 'the HQ store is not open');
    return this.pool;
  }

  async open(): Promise<void> {
    if (this.pool) return;
    const timeout = this.options.queryTimeoutMs ?? 30_000;
    const pool = new pg.Pool({
      connectionString: this.target.connectionString,
      options: `-c search_path=${this.target.schema}`,
      max: this.options.poolSize ?? 4,
      connectionTimeoutMillis: this.options.connectTimeoutMs ?? 10_000,
      query_timeout: timeout,
      statement_timeout: timeout,
    });
    pool.on('error', () => undefined); // an idle client's error: the next query reports it
    this.pool = pool;
    try {
      await this.migrate();
    } catch (error) {
      this.pool = undefined;
      await pool.end().catch(() => undefined);
      throw new SyncError('HQ_STORE_FAILED', `cannot open the HQ store at ${this.target.connectionString} (schema ${this.target.schema}): ${(error as Error).message}`);
    }
  }

  private async migrate(): Promise<void> {
    const client = await this.db().connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.target.schema}`);
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)');
      const current = Number((await client.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations')).rows[0].v);
      const migrations = loadMigrations('postgres');
      const latest = migrations.at(-1)?.version ?? 0;
      if (current > latest) throw new Error(`the database is at schema ${current}, this build knows up to ${latest}; run a newer Loupe`);
      for (const m of migrations.filter((m) => m.version > current)) {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())', [m.version, m.name]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }

  /** Drops the schema and everything in it (tests). */
  async dropSchema(): Promise<void> {
    await this.db().query(`DROP SCHEMA IF EXISTS ${this.target.schema} CASCADE`);
  }

  async commitBatch(batch: BatchToCommit): Promise<CommitResult> {
    const cols = batch.records.map(({ seq, record }) => ({ seq, record, ...recordColumns(record) }));
    const client = await this.db().connect();
    try {
      await client.query('BEGIN');
      const inserted = await client.query<{ id: string }>(
        `INSERT INTO grades (id, store_id, device_id, device_seq, created_at, model_version, colour, clarity, cut, carat, record_sha256, record_json, batch_id, ingested_at)
         SELECT t.id, $11, $12, t.device_seq, t.created_at, t.model_version, t.colour, t.clarity, t.cut, t.carat, t.sha, t.json, $13, $14
           FROM unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::float8[], $9::text[], $10::jsonb[])
                WITH ORDINALITY AS t(id, device_seq, created_at, model_version, colour, clarity, cut, carat, sha, json, ord)
          ORDER BY t.ord
         ON CONFLICT (id) DO NOTHING
         RETURNING id`,
        [
          cols.map((c) => c.record.id),
          cols.map((c) => c.seq),
          cols.map((c) => c.record.createdAt),
          cols.map((c) => c.record.modelVersion),
          cols.map((c) => c.record.grades.colour.grade),
          cols.map((c) => c.record.grades.clarity.grade),
          cols.map((c) => c.record.grades.cut.grade),
          cols.map((c) => c.record.carat.value),
          cols.map((c) => c.sha256),
          cols.map((c) => c.json),
          batch.storeId,
          batch.deviceId,
          batch.batchId,
          batch.receivedAt,
        ],
      );
      const newIds = new Set(inserted.rows.map((r) => r.id));
      const others = cols.filter((c) => !newIds.has(c.record.id));
      const held = new Map<string, string>();
      if (others.length > 0) {
        const rows = await client.query<{ id: string; record_sha256: string }>('SELECT id, record_sha256 FROM grades WHERE id = ANY($1::text[])', [others.map((c) => c.record.id)]);
        for (const r of rows.rows) held.set(r.id, r.record_sha256);
      }
      const committed: string[] = [];
      const rejected: RejectedRecord[] = [];
      for (const c of cols) {
        if (newIds.has(c.record.id) || held.get(c.record.id) === c.sha256) committed.push(c.record.id);
        else rejected.push({ id: c.record.id, code: 'RECORD_CONFLICT', reason: 'HQ already holds a different record with this id; the first one stands' });
      }
      await client.query(
        `INSERT INTO devices (store_id, device_id, last_batch_at, last_seq, grades_count) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (store_id, device_id) DO UPDATE SET
           last_batch_at = excluded.last_batch_at,
           last_seq = GREATEST(COALESCE(devices.last_seq, 0), excluded.last_seq),
           grades_count = devices.grades_count + excluded.grades_count`,
        [batch.storeId, batch.deviceId, batch.receivedAt, Math.max(0, ...cols.map((c) => c.seq)), newIds.size],
      );
      await client.query('COMMIT');
      return { committed, rejected, inserted: newIds.size, duplicates: committed.length - newIds.size };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw new SyncError('HQ_STORE_FAILED', `commit of batch ${batch.batchId} failed: ${(error as Error).message}`);
    } finally {
      client.release();
    }
  }

  async recordStatus(status: DeviceStatusV1): Promise<void> {
    await this.db().query(
      `INSERT INTO devices (store_id, device_id, state, status_at, backlog, oldest_unsent_age_s, model_version, status_reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (store_id, device_id) DO UPDATE SET
         state = excluded.state, status_at = excluded.status_at, backlog = COALESCE(excluded.backlog, devices.backlog),
         oldest_unsent_age_s = CASE WHEN excluded.backlog IS NULL THEN devices.oldest_unsent_age_s ELSE excluded.oldest_unsent_age_s END,
         model_version = COALESCE(excluded.model_version, devices.model_version), status_reason = excluded.status_reason`,
      [status.storeId, status.deviceId, status.state, status.at, status.backlog, status.oldestUnsentAgeS, status.modelVersion, status.reason ?? null],
    );
  }

  async recordRelease(report: DeviceReleaseV1): Promise<void> {
    await this.db().query(
      `INSERT INTO devices (store_id, device_id, release, release_state, release_code, release_reason, release_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (store_id, device_id) DO UPDATE SET release = excluded.release, release_state = excluded.release_state,
         release_code = excluded.release_code, release_reason = excluded.release_reason, release_at = excluded.release_at`,
      [report.storeId, report.deviceId, report.release, report.state, report.code ?? null, report.reason ?? null, report.at],
    );
  }

  async listDevices(): Promise<DeviceSummary[]> {
    const { rows } = await this.db().query('SELECT * FROM devices ORDER BY store_id, device_id');
    return rows.map((r) => ({
      storeId: r.store_id,
      deviceId: r.device_id,
      state: r.state ?? null,
      statusAt: iso(r.status_at),
      backlog: r.backlog ?? null,
      oldestUnsentAgeS: r.oldest_unsent_age_s ?? null,
      modelVersion: r.model_version ?? null,
      statusReason: r.status_reason ?? null,
      lastBatchAt: iso(r.last_batch_at),
      lastSeq: r.last_seq == null ? null : Number(r.last_seq),
      gradesCount: Number(r.grades_count),
      release: r.release ? { release: r.release, state: r.release_state, code: r.release_code ?? null, reason: r.release_reason ?? null, at: iso(r.release_at)! } : null,
    }));
  }

  async listGrades(query: GradeQuery = {}): Promise<HqGradeRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.storeId) (params.push(query.storeId), where.push(`store_id = $${params.length}`));
    if (query.deviceId) (params.push(query.deviceId), where.push(`device_id = $${params.length}`));
    params.push(clampLimit(query.limit));
    const order = query.order === 'ingest' ? 'ingest_seq' : 'store_id, device_id, device_seq, ingest_seq';
    const { rows } = await this.db().query(`SELECT * FROM grades ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT $${params.length}`, params);
    return rows.map((r) => ({
      ingestSeq: Number(r.ingest_seq),
      id: r.id,
      storeId: r.store_id,
      deviceId: r.device_id,
      deviceSeq: Number(r.device_seq),
      createdAt: r.record_json.createdAt,
      modelVersion: r.model_version,
      colour: r.colour,
      clarity: r.clarity,
      cut: r.cut,
      carat: Number(r.carat),
      batchId: r.batch_id,
      ingestedAt: iso(r.ingested_at)!,
      record: r.record_json,
    }));
  }

  async countGrades(query: { storeId?: string; deviceId?: string } = {}): Promise<number> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.storeId) (params.push(query.storeId), where.push(`store_id = $${params.length}`));
    if (query.deviceId) (params.push(query.deviceId), where.push(`device_id = $${params.length}`));
    const { rows } = await this.db().query(`SELECT COUNT(*) AS n FROM grades ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, params);
    return Number(rows[0].n);
  }

  async addDeviceKey(key: DeviceKeyInput): Promise<AddKeyOutcome> {
    const inserted = await this.db().query(
      `INSERT INTO device_keys (store_id, device_id, key_id, public_key_pem, added_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (store_id, device_id, key_id) DO NOTHING`,
      [key.storeId, key.deviceId, key.keyId, key.publicKeyPem, key.addedAt],
    );
    if (inserted.rowCount === 1) return 'added';
    const { rows } = await this.db().query('SELECT revoked_at FROM device_keys WHERE store_id = $1 AND device_id = $2 AND key_id = $3', [key.storeId, key.deviceId, key.keyId]);
    return rows[0]?.revoked_at == null ? 'present' : 'revoked';
  }

  async revokeDeviceKey(address: { storeId: string; deviceId: string; keyId: string }, at: string): Promise<boolean> {
    const result = await this.db().query(
      'UPDATE device_keys SET revoked_at = $1 WHERE store_id = $2 AND device_id = $3 AND key_id = $4 AND revoked_at IS NULL',
      [at, address.storeId, address.deviceId, address.keyId],
    );
    return result.rowCount === 1;
  }

  async listDeviceKeys(filter: { storeId?: string; deviceId?: string } = {}): Promise<DeviceKey[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.storeId) (params.push(filter.storeId), where.push(`store_id = $${params.length}`));
    if (filter.deviceId) (params.push(filter.deviceId), where.push(`device_id = $${params.length}`));
    const { rows } = await this.db().query(`SELECT * FROM device_keys ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY store_id, device_id, added_at, key_id`, params);
    return rows.map((r) => ({
      storeId: r.store_id,
      deviceId: r.device_id,
      keyId: r.key_id,
      publicKeyPem: r.public_key_pem,
      addedAt: iso(r.added_at)!,
      revokedAt: iso(r.revoked_at),
    }));
  }

  /** PostgreSQL has no integrity_check pragma; this checks what HQ relies on: one row per id. */
  async integrityCheck(): Promise<string> {
    const { rows } = await this.db().query('SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM grades');
    return Number(rows[0].n) === Number(rows[0].d) ? 'ok' : `${Number(rows[0].n) - Number(rows[0].d)} duplicate grade ids`;
  }
}
