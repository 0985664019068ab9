/**
 * The device's grade store: one SQLite file plus the full frames beside it. A grade, its
 * thumbnail, its frame path and its outbox row are committed in one transaction; the frame
 * file is written and fsynced first, and removed again if the commit fails.
 */
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from './database.ts';
import { StoreError } from './errors.ts';
import { frameRelativePath, removeFile, writeFileDurably, writeFileDurablyAsync, type FrameExt } from './frame-files.ts';
import { createOutbox, type Outbox, type OutboxRow } from './outbox.ts';
import type { GradeRecordV1 } from '../grading/record.ts';
import { localDayRange } from './local-day.ts';

export interface GradeToSave {
  record: GradeRecordV1;
  thumbnailJpeg: Uint8Array;
  frame: { bytes: Uint8Array; ext: FrameExt };
}

export interface StoredImageRow {
  gradeId: string;
  createdAt: string;
  framePath: string | null;
  frameBytes: number;
  hasThumbnail: boolean;
  thumbnailBytes: number;
}

export const DATABASE_FILE = 'loupe.db';
const MAX_LIST_LIMIT = 1000;

export class GradeStore {
  private db: Database.Database | undefined;
  private outboxImpl: (Outbox & { rows(limit: number): OutboxRow[] }) | undefined;

  constructor(readonly dataDir: string) {}

  open(): void {
    if (this.db) return;
    this.db = openDatabase(join(this.dataDir, DATABASE_FILE));
    this.outboxImpl = createOutbox(this.db);
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
    this.outboxImpl = undefined;
  }

  get isOpen(): boolean {
    return this.db !== undefined;
  }

  get outbox(): Outbox & { rows(limit: number): OutboxRow[] } {
    this.connection();
    return this.outboxImpl!;
  }

  /** The open connection (for retention and tests); throws when the store is closed. */
  connection(): Database.Database {
    if (!this.db) throw new StoreError('STORE_OPEN_FAILED', 'the grade store is not open');
    return this.db;
  }

  /** Frame file first (fsynced), then the one transaction. Synchronous; the pipeline uses the split form below. */
  save(grade: GradeToSave): { framePath: string } {
    const { record } = grade;
    this.refuseDuplicate(record.id);
    const framePath = frameRelativePath(record.id, record.createdAt, grade.frame.ext);
    const absoluteFrame = join(this.dataDir, framePath);
    try {
      writeFileDurably(absoluteFrame, grade.frame.bytes);
    } catch (error) {
      throw new StoreError('STORE_WRITE_FAILED', `cannot write the frame ${absoluteFrame}: ${(error as Error).message}`, { cause: error });
    }
    this.commit({ record, thumbnailJpeg: grade.thumbnailJpeg, framePath, frameBytes: grade.frame.bytes.length });
    return { framePath };
  }

  /**
   * Writes a grade's full frame durably, off the event loop, so it can overlap inference.
   * Resolves with the path relative to the data dir, for commit(); discardFrame() if no grade follows.
   */
  async writeFrame(id: string, createdAt: string, frame: GradeToSave['frame']): Promise<string> {
    const framePath = frameRelativePath(id, createdAt, frame.ext);
    try {
      await writeFileDurablyAsync(join(this.dataDir, framePath), frame.bytes);
    } catch (error) {
      throw new StoreError('STORE_WRITE_FAILED', `cannot write the frame ${join(this.dataDir, framePath)}: ${(error as Error).message}`, { cause: error });
    }
    return framePath;
  }

  discardFrame(framePath: string): void {
    removeFile(join(this.dataDir, framePath));
  }

  /** The one transaction: grade row, images row, outbox row. The frame file must already be durable. */
  commit(grade: { record: GradeRecordV1; thumbnailJpeg: Uint8Array; framePath: string; frameBytes: number }): void {
    const db = this.connection();
    const { record } = grade;
    this.refuseDuplicate(record.id);
    try {
      db.transaction(() => {
        db.prepare(
          `INSERT INTO grades (id, created_at, day, device_id, model_version, colour, clarity, cut, carat, frame_sha256, record_json)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(
          record.id,
          record.createdAt,
          record.createdAt.slice(0, 10),
          record.deviceId,
          record.modelVersion,
          record.grades.colour.grade,
          record.grades.clarity.grade,
          record.grades.cut.grade,
          record.carat.value,
          record.frameSha256,
          JSON.stringify(record),
        );
        db.prepare('INSERT INTO grade_images (grade_id, thumbnail, thumbnail_bytes, frame_path, frame_bytes) VALUES (?, ?, ?, ?, ?)').run(
          record.id,
          Buffer.from(grade.thumbnailJpeg),
          grade.thumbnailJpeg.length,
          grade.framePath,
          grade.frameBytes,
        );
        db.prepare('INSERT INTO outbox (record_id, created_at) VALUES (?, ?)').run(record.id, record.createdAt);
      })();
    } catch (error) {
      this.discardFrame(grade.framePath);
      throw new StoreError('STORE_WRITE_FAILED', `cannot commit grade ${record.id}: ${(error as Error).message}`, { cause: error });
    }
  }

  private refuseDuplicate(id: string): void {
    if (this.connection().prepare('SELECT 1 FROM grades WHERE id = ?').get(id)) {
      throw new StoreError('STORE_DUPLICATE_ID', `a grade with id ${id} already exists`);
    }
  }

  get(id: string): GradeRecordV1 | undefined {
    const row = this.connection().prepare('SELECT record_json FROM grades WHERE id = ?').get(id) as { record_json: string } | undefined;
    return row ? parseRecord(id, row.record_json) : undefined;
  }

  /**
   * Newest first; `day` is YYYY-MM-DD in `timeZone` (the store's local day; default UTC).
   * The table's own `day` column is the UTC day, kept as written.
   */
  list(options: { day?: string; timeZone?: string; limit?: number } = {}): GradeRecordV1[] {
    const limit = Math.min(Math.max(1, Math.floor(options.limit ?? 100)), MAX_LIST_LIMIT);
    let rows: unknown[];
    if (options.day) {
      const { start, end } = localDayRange(options.day, options.timeZone ?? 'UTC');
      rows = this.connection()
        .prepare('SELECT id, record_json FROM grades WHERE created_at >= ? AND created_at < ? ORDER BY created_at DESC, id DESC LIMIT ?')
        .all(start, end, limit);
    } else {
      rows = this.connection().prepare('SELECT id, record_json FROM grades ORDER BY created_at DESC, id DESC LIMIT ?').all(limit);
    }
    return (rows as Array<{ id: string; record_json: string }>).map((row) => parseRecord(row.id, row.record_json));
  }

  count(): number {
    return (this.connection().prepare('SELECT COUNT(*) AS n FROM grades').get() as { n: number }).n;
  }

  thumbnail(id: string): Buffer | undefined {
    const row = this.connection().prepare('SELECT thumbnail FROM grade_images WHERE grade_id = ?').get(id) as { thumbnail: Buffer | null } | undefined;
    return row?.thumbnail ?? undefined;
  }

  /** Absolute path of the full frame, or undefined once retention removed it. */
  framePath(id: string): string | undefined {
    const row = this.connection().prepare('SELECT frame_path FROM grade_images WHERE grade_id = ?').get(id) as { frame_path: string | null } | undefined;
    return row?.frame_path ? join(this.dataDir, row.frame_path) : undefined;
  }

  /** Image rows still holding a frame or a thumbnail, oldest first (for retention). */
  imagesHeld(): StoredImageRow[] {
    const rows = this.connection()
      .prepare(
        `SELECT i.grade_id, g.created_at, i.frame_path, i.frame_bytes, i.thumbnail IS NOT NULL AS has_thumb, i.thumbnail_bytes
           FROM grade_images i JOIN grades g ON g.id = i.grade_id
          WHERE i.frame_path IS NOT NULL OR i.thumbnail IS NOT NULL
          ORDER BY g.created_at, g.id`,
      )
      .all() as Array<{ grade_id: string; created_at: string; frame_path: string | null; frame_bytes: number; has_thumb: number; thumbnail_bytes: number }>;
    return rows.map((r) => ({
      gradeId: r.grade_id,
      createdAt: r.created_at,
      framePath: r.frame_path,
      frameBytes: r.frame_bytes,
      hasThumbnail: r.has_thumb === 1,
      thumbnailBytes: r.thumbnail_bytes,
    }));
  }

  /** Frame paths (relative to the data dir) that a grade row points at. */
  referencedFramePaths(): Set<string> {
    const rows = this.connection().prepare('SELECT frame_path FROM grade_images WHERE frame_path IS NOT NULL').all() as Array<{ frame_path: string }>;
    return new Set(rows.map((r) => r.frame_path));
  }

  /** Deletes the frame file first, then marks it gone; a crash in between leaves a row pointing at nothing, which reads as deleted. */
  dropFrame(gradeId: string, at = new Date()): void {
    const path = this.framePath(gradeId);
    if (path) removeFile(path);
    this.connection().prepare('UPDATE grade_images SET frame_path = NULL, frame_deleted_at = ? WHERE grade_id = ?').run(at.toISOString(), gradeId);
  }

  dropThumbnail(gradeId: string, at = new Date()): void {
    this.connection().prepare('UPDATE grade_images SET thumbnail = NULL, thumbnail_deleted_at = ? WHERE grade_id = ?').run(at.toISOString(), gradeId);
  }
}

function parseRecord(id: string, json: string): GradeRecordV1 {
  try {
    return JSON.parse(json) as GradeRecordV1;
  } catch (error) {
    throw new StoreError('STORE_RECORD_CORRUPT', `record ${id} in the store is not valid JSON`, { cause: error });
  }
}
