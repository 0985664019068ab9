export { GradeStore, DATABASE_FILE, type GradeToSave, type StoredImageRow } from './grade-store.ts';
export { createOutbox, type Outbox, type OutboxEntry, type OutboxRow } from './outbox.ts';
export { openDatabase } from './database.ts';
export { migrate, loadMigrations } from './migrate.ts';
export { StoreError, type StoreErrorCode } from './errors.ts';
export { applyRetention, statfsFreeBytes, type FreeDiskProbe, type RetentionSettings } from './retention.ts';
export { planRetention, type RetentionPlan, type HeldImage } from './retention-policy.ts';
export { sweepOrphanFrames, ORPHAN_MIN_AGE_MS } from './orphan-frames.ts';
