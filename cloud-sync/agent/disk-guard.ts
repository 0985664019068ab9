/**
 * Watches free disk. Below the threshold it runs the store's retention (device/store owns it:
 * full frames go first, then thumbnails; grade records and outbox rows never).
 */
import type { SyncLogger } from '../log.ts';

export interface RetentionOutcome {
  dropFrames: string[];
  dropThumbnails: string[];
  expectedFreeBytes: number;
}

export interface DiskGuardDeps {
  freeBytes: () => number;
  thresholdBytes: number;
  /** Runs the store's retention and says what it dropped. */
  applyRetention: () => RetentionOutcome;
  intervalMs: number;
  logger: SyncLogger;
}

export class DiskGuard {
  private timer: NodeJS.Timeout | undefined;
  private lastFree: number | undefined;

  constructor(private readonly deps: DiskGuardDeps) {}

  get lastFreeBytes(): number | undefined {
    return this.lastFree;
  }

  start(): void {
    if (this.timer) return;
    this.check();
    this.timer = setInterval(() => this.check(), this.deps.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One look at the disk; runs retention when it is short. Never throws. */
  check(): RetentionOutcome | undefined {
    try {
      const free = this.deps.freeBytes();
      this.lastFree = free;
      if (free >= this.deps.thresholdBytes) return undefined;
      const outcome = this.deps.applyRetention();
      this.deps.logger.warn('sync.disk_low', {
        freeBytes: free,
        thresholdBytes: this.deps.thresholdBytes,
        droppedFrames: outcome.dropFrames.length,
        droppedThumbnails: outcome.dropThumbnails.length,
        expectedFreeBytes: outcome.expectedFreeBytes,
      });
      return outcome;
    } catch (error) {
      this.deps.logger.error('sync.disk_check_failed', { message: (error as Error).message });
      return undefined;
    }
  }
}
