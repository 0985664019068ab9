/**
 * The in-flight window: batches published and not yet answered by HQ's application ack. Pure
 * bookkeeping; the agent does the I/O.
 */
import type { PlannedBatch } from './batch-builder.ts';

export interface InFlightBatch extends PlannedBatch {
  attempt: number;
  /** Bumped on every send, so a late outcome of an older send is ignored. */
  sendNo: number;
  /** True once the broker PUBACKed the latest send. */
  pubacked: boolean;
  sentAt: number;
  /** When to resend if no ack has come by then (ms since epoch). */
  resendAt: number;
}

export class InFlightWindow {
  private readonly batches = new Map<string, InFlightBatch>();
  private readonly ids = new Set<string>();

  get size(): number {
    return this.batches.size;
  }

  get recordCount(): number {
    return this.ids.size;
  }

  has(recordId: string): boolean {
    return this.ids.has(recordId);
  }

  get(batchId: string): InFlightBatch | undefined {
    return this.batches.get(batchId);
  }

  add(batch: PlannedBatch, now: number, resendAt: number): InFlightBatch {
    const entry: InFlightBatch = { ...batch, attempt: 0, sendNo: 0, pubacked: false, sentAt: now, resendAt };
    this.batches.set(batch.batchId, entry);
    for (const id of batch.recordIds) this.ids.add(id);
    return entry;
  }

  remove(batchId: string): InFlightBatch | undefined {
    const entry = this.batches.get(batchId);
    if (!entry) return undefined;
    this.batches.delete(batchId);
    for (const id of entry.recordIds) this.ids.delete(id);
    return entry;
  }

  /** Batches whose ack is overdue, oldest first. */
  due(now: number): InFlightBatch[] {
    return [...this.batches.values()].filter((b) => b.resendAt <= now).sort((a, b) => a.seqs[0] - b.seqs[0]);
  }

  all(): InFlightBatch[] {
    return [...this.batches.values()];
  }

  clear(): void {
    this.batches.clear();
    this.ids.clear();
  }
}

/** The wait for an ack before the n-th resend: the ack timeout, doubling, at most 8×. */
export function ackDeadline(now: number, ackTimeoutMs: number, attempt: number): number {
  return now + ackTimeoutMs * 2 ** Math.min(Math.max(0, attempt - 1), 3);
}
