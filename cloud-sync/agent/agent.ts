/**
 * The device sync agent: drains the outbox to HQ in batches over MQTT 5 (QoS 1, persistent
 * session), and lets a row leave the outbox only when HQ's application ack says HQ committed
 * it. A PUBACK only means the broker has the batch.
 */
import type { IPublishPacket } from 'mqtt';
import type { Outbox, OutboxEntry } from '../../device/store/outbox.ts';
import type { SyncSection } from '../../device/config/sync-section.ts';
import type { SyncLogger } from '../log.ts';
import {
  MqttReasonCode,
  correlationIdOf,
  decodeMessage,
  deviceTopic,
  encodePayload,
  publishPolicy,
  publishProperties,
  type AckV1,
  type DeviceAddress,
  type DeviceStatusV1,
} from '../protocol/index.ts';
import { DEVICE_REFUSAL_CODES } from '../protocol/errors.ts';
import { MqttConnection } from '../transport/connection.ts';
import { backoffDelay } from '../transport/backoff.ts';
import { encodeBatch, planBatch } from './batch-builder.ts';
import { InFlightWindow, ackDeadline, type InFlightBatch } from './in-flight.ts';

export type SyncSettings = Omit<SyncSection, 'brokerUrl'> & { brokerUrl: string };

export interface SyncAgentDeps {
  outbox: Outbox;
  identity: DeviceAddress;
  settings: SyncSettings;
  logger: SyncLogger;
  /** name@version of the model in use, for the status topic. */
  modelVersion: () => string | null;
  clock?: () => number;
  /** How long a record HQ rejected waits before it is offered again. */
  rejectedRetryMs?: number;
}

export interface SyncAgentStatus {
  state: 'offline' | 'connecting' | 'online';
  brokerUrl: string;
  backlog: number;
  oldestUnsentAgeS: number | null;
  inFlightBatches: number;
  inFlightRecords: number;
  /** Records HQ rejected; they stay in the outbox and are offered again later. */
  rejected: Array<{ id: string; code: string; reason: string }>;
  /** HQ refused this device's key; nothing new is sent until `until`. */
  refusedByHq: { code: string; reason: string; until: string } | null;
  /** PUBACK said "no matching subscribers": no HQ worker is listening. */
  hqListening: boolean;
  sentBatches: number;
  resentBatches: number;
  ackedRecords: number;
  lastAckAt: string | null;
  lastError: string | null;
}

interface Parked {
  code: string;
  reason: string;
  retryAt: number;
}

export class SyncAgent {
  private connection: MqttConnection | undefined;
  private readonly window = new InFlightWindow();
  private readonly parked = new Map<string, Parked>();
  private timer: NodeJS.Timeout | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private pumping = false;
  private pumpAgain = false;
  private partialSince: number | undefined;
  private noSubscriberStreak = 0;
  private counters = { sentBatches: 0, resentBatches: 0, ackedRecords: 0 };
  private lastAckAt: string | null = null;
  private lastError: string | null = null;
  private hqListening = true;
  private running = false;
  private refusal: { code: string; reason: string; until: number } | undefined;

  constructor(private readonly deps: SyncAgentDeps) {}

  private now(): number {
    return (this.deps.clock ?? Date.now)();
  }

  private topic(kind: 'grades' | 'ack' | 'status'): string {
    return deviceTopic(kind, this.deps.identity);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    const { settings, identity, logger } = this.deps;
    this.connection = new MqttConnection({
      url: settings.brokerUrl,
      clientId: `loupe-${identity.storeId}-${identity.deviceId}`,
      cleanStart: false,
      sessionExpiryS: settings.sessionExpiryS,
      connectTimeoutMs: settings.connectTimeoutMs,
      operationTimeoutMs: settings.operationTimeoutMs,
      backoff: { baseMs: settings.backoff.baseMs, maxMs: settings.backoff.maxMs, minMs: Math.min(100, settings.backoff.baseMs) },
      subscriptions: [this.topic('ack')],
      will: { topic: this.topic('status'), payload: encodePayload('status', this.statusPayload('offline', 'connection-lost', false)), qos: 1, retain: true },
      username: settings.username ?? undefined,
      password: settings.password ?? undefined,
      logger,
      onOnline: () => this.onOnline(),
      onOffline: () => this.onOffline(),
      onMessage: (topic, payload, packet) => this.onMessage(topic, payload, packet),
    });
    this.connection.start();
    const tick = Math.max(10, Math.min(settings.pollIntervalMs, settings.batch.lingerMs || settings.pollIntervalMs, Math.floor(settings.ackTimeoutMs / 4)));
    this.timer = setInterval(() => this.notify(), tick);
    this.statusTimer = setInterval(() => void this.publishStatus(), settings.statusIntervalMs);
  }

  /** Stops within a bounded time: a last "offline" status, then DISCONNECT, each with a timeout. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    clearInterval(this.timer);
    clearInterval(this.statusTimer);
    await this.connection?.stop(() => this.publishStatus('offline', 'shutdown'));
    this.window.clear();
    this.lookAhead = [];
  }

  /** Call when a grade was committed, to send it without waiting for the next poll. */
  notify(): void {
    if (this.running) void this.pump();
  }

  status(): SyncAgentStatus {
    const backlog = this.deps.outbox.backlog();
    const state = this.connection?.state;
    return {
      state: state === 'online' ? 'online' : state === 'connecting' ? 'connecting' : 'offline',
      brokerUrl: this.deps.settings.brokerUrl,
      backlog: backlog.count,
      oldestUnsentAgeS: this.ageS(backlog.oldestCreatedAt),
      inFlightBatches: this.window.size,
      inFlightRecords: this.window.recordCount,
      rejected: [...this.parked.entries()].map(([id, p]) => ({ id, code: p.code, reason: p.reason })),
      refusedByHq: this.refusal ? { code: this.refusal.code, reason: this.refusal.reason, until: new Date(this.refusal.until).toISOString() } : null,
      hqListening: this.hqListening,
      ...this.counters,
      lastAckAt: this.lastAckAt,
      lastError: this.lastError ?? this.connection?.lastError ?? null,
    };
  }

  private ageS(createdAt: string | null): number | null {
    if (!createdAt) return null;
    const t = Date.parse(createdAt);
    return Number.isFinite(t) ? Math.max(0, Math.round((this.now() - t) / 100) / 10) : null;
  }

  private onOnline(): void {
    void this.publishStatus();
    this.notify();
  }

  private onOffline(): void {
    // A send that never reached the broker goes again as soon as we are back.
    for (const batch of this.window.all()) if (!batch.pubacked) batch.resendAt = 0;
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        if (this.connection?.state !== 'online') return;
        this.resendDue();
        this.fillWindow();
      } while (this.pumpAgain && this.running);
    } catch (error) {
      this.lastError = (error as Error).message;
      this.deps.logger.error('sync.pump_failed', { message: (error as Error).message, code: (error as { code?: string }).code });
    } finally {
      this.pumping = false;
    }
  }

  private resendDue(): void {
    for (const batch of this.window.due(this.now())) {
      this.counters.resentBatches++;
      this.send(batch);
    }
  }

  /**
   * Outbox rows peeked but not yet sent, oldest first. Rows leave the outbox only on an ack, so
   * a peek returns the in-flight rows again; the look-ahead spreads that re-read over a whole
   * window of batches instead of paying it per batch.
   */
  private lookAhead: OutboxEntry[] = [];

  private refill(): void {
    const { settings, outbox } = this.deps;
    const limit = this.window.recordCount + this.parked.size + settings.batch.maxRecords * settings.window;
    this.lookAhead = outbox.peek(limit).filter((e) => !this.window.has(e.recordId) && !this.parked.has(e.recordId));
  }

  private fillWindow(): void {
    const { settings } = this.deps;
    const now = this.now();
    for (const [id, parked] of this.parked) if (parked.retryAt <= now) this.parked.delete(id);
    if (this.refusal && now < this.refusal.until) return;
    while (this.window.size < settings.window && this.connection?.state === 'online') {
      if (this.lookAhead.length < settings.batch.maxRecords) this.refill();
      const planned = planBatch(this.lookAhead, settings.batch);
      if (!planned) {
        this.partialSince = undefined;
        return;
      }
      const full = planned.seqs.length === settings.batch.maxRecords || planned.seqs.length < this.lookAhead.length;
      if (!full && settings.batch.lingerMs > 0) {
        this.partialSince ??= now;
        if (now - this.partialSince < settings.batch.lingerMs) return;
      }
      this.partialSince = undefined;
      this.lookAhead.splice(0, planned.seqs.length);
      const batch = this.window.add(planned, now, ackDeadline(now, settings.ackTimeoutMs, 1));
      this.counters.sentBatches++;
      this.send(batch);
    }
  }

  private send(batch: InFlightBatch): void {
    const connection = this.connection;
    if (!connection) return;
    const { settings, identity, outbox, logger } = this.deps;
    const now = this.now();
    batch.attempt++;
    const sendNo = ++batch.sendNo;
    batch.pubacked = false;
    batch.sentAt = now;
    batch.resendAt = ackDeadline(now, settings.ackTimeoutMs, batch.attempt);
    const payload = encodeBatch(
      { batchId: batch.batchId, deviceId: identity.deviceId, storeId: identity.storeId, sentAt: new Date(now).toISOString(), attempt: batch.attempt, seqs: batch.seqs },
      batch.recordJson,
    );
    outbox.markAttempt(batch.recordIds);
    const properties = publishProperties('grades', { responseTopic: this.topic('ack'), correlationId: batch.batchId });
    connection
      .publish(this.topic('grades'), payload, { qos: 1, retain: false, properties })
      .then(({ reasonCode }) => {
        if (batch.sendNo !== sendNo || !this.window.get(batch.batchId)) return;
        batch.pubacked = true;
        if (reasonCode === MqttReasonCode.NoMatchingSubscribers) {
          // No HQ worker is subscribed: nobody will ack. Try again after a back-off, not the full ack timeout.
          this.hqListening = false;
          batch.resendAt = this.now() + backoffDelay(this.noSubscriberStreak++, settings.backoff);
          logger.warn('sync.hq_not_listening', { batchId: batch.batchId, retryInMs: batch.resendAt - this.now() });
        }
      })
      .catch((error: Error & { code?: string }) => {
        if (batch.sendNo !== sendNo || !this.window.get(batch.batchId)) return;
        this.lastError = error.message;
        batch.resendAt = 0; // resend as soon as the connection allows
        logger.warn('sync.publish_failed', { batchId: batch.batchId, code: error.code, message: error.message });
      });
  }

  private onMessage(topic: string, payload: Buffer, packet: IPublishPacket): void {
    const decoded = decodeMessage('ack', topic, payload);
    if (!decoded.ok) {
      this.deps.logger.warn('sync.payload_dropped', { topic, bytes: payload.length, code: decoded.error.code, reasonCode: decoded.error.reasonCode, reason: decoded.error.message });
      return;
    }
    if (decoded.topic.deviceId !== this.deps.identity.deviceId || decoded.topic.storeId !== this.deps.identity.storeId) {
      this.deps.logger.warn('sync.payload_dropped', { topic, code: 'TOPIC_MISMATCH', reason: 'an ack for another device' });
      return;
    }
    const correlationId = correlationIdOf(packet.properties);
    if (correlationId !== undefined && correlationId !== decoded.value.batchId) {
      this.deps.logger.warn('sync.payload_dropped', { topic, code: 'CORRELATION_MISMATCH', reason: `correlation data ${correlationId} ≠ batchId ${decoded.value.batchId}` });
      return;
    }
    try {
      this.applyAck(decoded.value);
    } catch (error) {
      // The outbox could not be written: the rows stay and the batch is resent later.
      this.lastError = (error as Error).message;
      this.deps.logger.error('sync.ack_apply_failed', { batchId: decoded.value.batchId, message: (error as Error).message });
    }
  }

  private applyAck(ack: AckV1): void {
    const removed = this.deps.outbox.acknowledge(ack.committed);
    const now = this.now();
    const refusedUntil = now + this.deps.settings.refusedRetryMs; // after a key refusal (DEVICE_REFUSAL_CODES)
    if (ack.committed.length > 0) this.refusal = undefined;
    for (const r of ack.rejected) {
      const deviceRefused = DEVICE_REFUSAL_CODES.has(r.code);
      this.parked.set(r.id, { code: r.code, reason: r.reason, retryAt: deviceRefused ? refusedUntil : now + (this.deps.rejectedRetryMs ?? 3_600_000) });
      if (deviceRefused && ack.committed.length === 0 && (!this.refusal || this.refusal.until <= now)) {
        this.refusal = { code: r.code, reason: r.reason, until: refusedUntil };
        this.deps.logger.error('sync.device_refused', { code: r.code, reason: r.reason, until: new Date(refusedUntil).toISOString() });
        void this.publishStatus();
      }
      if (!deviceRefused) this.deps.logger.error('sync.record_rejected', { recordId: r.id, code: r.code, reason: r.reason, batchId: ack.batchId });
    }
    this.window.remove(ack.batchId);
    this.counters.ackedRecords += removed;
    this.lastAckAt = new Date(now).toISOString();
    this.hqListening = true;
    this.noSubscriberStreak = 0;
    this.deps.logger.debug('sync.acked', { batchId: ack.batchId, committed: ack.committed.length, removed, rejected: ack.rejected.length });
    this.notify();
  }

  private statusPayload(state: 'online' | 'offline', reason?: string, withBacklog = true): DeviceStatusV1 {
    const backlog = withBacklog ? this.deps.outbox.backlog() : undefined;
    const why = reason ?? this.refusalNote();
    return {
      schema: 'loupe.sync.status/v1',
      deviceId: this.deps.identity.deviceId,
      storeId: this.deps.identity.storeId,
      state,
      at: new Date(this.now()).toISOString(),
      backlog: backlog ? backlog.count : null,
      oldestUnsentAgeS: backlog ? this.ageS(backlog.oldestCreatedAt) : null,
      modelVersion: this.deps.modelVersion(),
      ...(why && { reason: why }),
    };
  }

  /** For HQ's device list: why this device's grades are not arriving. */
  private refusalNote(): string | undefined {
    return this.refusal && this.now() < this.refusal.until ? `HQ refuses this device's key (${this.refusal.code})` : undefined;
  }

  private async publishStatus(state: 'online' | 'offline' = 'online', reason?: string): Promise<void> {
    if (this.connection?.state !== 'online') return;
    try {
      const payload = encodePayload('status', this.statusPayload(state, reason));
      await this.connection.publish(this.topic('status'), payload, { qos: 1, retain: publishPolicy.status.retain, properties: publishProperties('status') });
    } catch (error) {
      this.deps.logger.warn('sync.status_publish_failed', { message: (error as Error).message });
    }
  }
}
