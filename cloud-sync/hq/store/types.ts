/** The HQ store: one interface, a SQLite and a PostgreSQL implementation, one shared test suite. */
import type { GradeRecordV1 } from '../../../device/grading/record.ts';
import type { AcceptedRecord, DeviceReleaseV1, DeviceStatusV1, RejectedRecord } from '../../protocol/index.ts';

export interface BatchToCommit {
  batchId: string;
  storeId: string;
  deviceId: string;
  records: AcceptedRecord[];
  receivedAt: string;
}

export interface CommitResult {
  /** Ids now durably in the store: newly inserted or already there with the same content. */
  committed: string[];
  /** Ids already in the store with different content: the first commit stands. */
  rejected: RejectedRecord[];
  inserted: number;
  duplicates: number;
}

export interface DeviceSummary {
  storeId: string;
  deviceId: string;
  state: 'online' | 'offline' | null;
  statusAt: string | null;
  backlog: number | null;
  oldestUnsentAgeS: number | null;
  modelVersion: string | null;
  statusReason: string | null;
  lastBatchAt: string | null;
  lastSeq: number | null;
  gradesCount: number;
  /** The last model release the device took or refused over MQTT. */
  release: { release: string; state: 'installed' | 'refused'; code: string | null; reason: string | null; at: string } | null;
}

export interface HqGradeRow {
  ingestSeq: number;
  id: string;
  storeId: string;
  deviceId: string;
  deviceSeq: number;
  createdAt: string;
  modelVersion: string;
  colour: string;
  clarity: string;
  cut: string;
  carat: number;
  batchId: string;
  ingestedAt: string;
  record: GradeRecordV1;
}

/** A device signing key HQ has registered (loupe hq keys add). */
export interface DeviceKey {
  storeId: string;
  deviceId: string;
  keyId: string;
  publicKeyPem: string;
  addedAt: string;
  /** null while the key is trusted. */
  revokedAt: string | null;
}

export type DeviceKeyInput = Omit<DeviceKey, 'revokedAt'>;

/** "added"; "present" when the same key is already active; "revoked" when it was revoked (it stays revoked). */
export type AddKeyOutcome = 'added' | 'present' | 'revoked';

export interface GradeQuery {
  storeId?: string;
  deviceId?: string;
  /** Default 100, at most 100,000. */
  limit?: number;
  /** "device": by store, device and device sequence (the device's order); "ingest": HQ commit order. */
  order?: 'device' | 'ingest';
}

export interface HqStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Connects and applies the numbered migrations. */
  open(): Promise<void>;
  close(): Promise<void>;
  /** Upserts by record id in one transaction; resolves only after the commit. */
  commitBatch(batch: BatchToCommit): Promise<CommitResult>;
  /**
   * Records a device's status; the latest to arrive wins. The broker delivers one topic's
   * messages in order, and a last will carries the `at` of the connect it was set at (older
   * than the statuses sent since), so arrival order, not `at`, is the truth.
   */
  recordStatus(status: DeviceStatusV1): Promise<void>;
  /** Records a device's last release outcome; the latest to arrive wins. */
  recordRelease(report: DeviceReleaseV1): Promise<void>;
  listDevices(): Promise<DeviceSummary[]>;
  listGrades(query?: GradeQuery): Promise<HqGradeRow[]>;
  countGrades(query?: { storeId?: string; deviceId?: string }): Promise<number>;
  addDeviceKey(key: DeviceKeyInput): Promise<AddKeyOutcome>;
  /** True when an active key was revoked now; false when there was none to revoke. */
  revokeDeviceKey(address: { storeId: string; deviceId: string; keyId: string }, at: string): Promise<boolean>;
  /** Active and revoked keys, by store, device and the time they were added. */
  listDeviceKeys(filter?: { storeId?: string; deviceId?: string }): Promise<DeviceKey[]>;
  /** "ok", or what the database found wrong. */
  integrityCheck(): Promise<string>;
}

export const MAX_GRADE_QUERY = 100_000;

export function clampLimit(limit: number | undefined): number {
  return Math.min(Math.max(1, Math.floor(limit ?? 100)), MAX_GRADE_QUERY);
}
