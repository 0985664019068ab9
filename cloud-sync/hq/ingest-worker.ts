/**
 * One HQ ingest worker. It joins the shared subscription `$share/hq/loupe/v1/+/+/grades`, so the
 * broker hands each batch to one of however many workers run. For each batch: validate, upsert
 * by record id and commit, then ack to the device. The PUBACK to the broker goes after the
 * commit, and carries an MQTT 5 reason code when the payload was refused. Records whose
 * signature does not verify against the device's registered key are rejected in the ack
 * (signatures.ts). It also records every device's retained status.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { IPublishPacket } from 'mqtt';
import type { SyncLogger } from '../log.ts';
import {
  MqttReasonCode,
  SyncError,
  correlationIdOf,
  decodeMessage,
  deviceTopic,
  encodePayload,
  parseTopic,
  publishProperties,
  splitBatchRecords,
  topicFilters,
  type AckV1,
  type GradesBatchV1,
  type ParsedTopic,
} from '../protocol/index.ts';
import { MqttConnection } from '../transport/connection.ts';
import type { BackoffPolicy } from '../transport/backoff.ts';
import { checkSignatures, PublicKeyCache, type SignaturePolicy } from './signatures.ts';
import type { HqStore } from './store/types.ts';

export interface IngestWorkerOptions {
  brokerUrl: string;
  store: HqStore;
  logger: SyncLogger;
  workerId?: string;
  username?: string;
  password?: string;
  connectTimeoutMs?: number;
  operationTimeoutMs?: number;
  backoff?: BackoffPolicy;
  /** Default "enforce". */
  signatures?: SignaturePolicy;
}

export interface IngestCounters {
  batches: number;
  committedRecords: number;
  insertedRecords: number;
  duplicateRecords: number;
  rejectedRecords: number;
  /** Of rejectedRecords, those refused for their signature or key. */
  signatureRejections: number;
  droppedPayloads: number;
  storeFailures: number;
  statuses: number;
}

export class IngestWorker {
  private connection: MqttConnection | undefined;
  readonly counters: IngestCounters = { batches: 0, committedRecords: 0, insertedRecords: 0, duplicateRecords: 0, rejectedRecords: 0, signatureRejections: 0, droppedPayloads: 0, storeFailures: 0, statuses: 0 };
  private readonly workerId: string;
  private readonly publicKeys = new PublicKeyCache();

  constructor(private readonly options: IngestWorkerOptions) {
    this.workerId = options.workerId ?? `hq-${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  }

  get id(): string {
    return this.workerId;
  }

  get state(): string {
    return this.connection?.state ?? 'idle';
  }

  start(): void {
    if (this.connection) return;
    const o = this.options;
    this.connection = new MqttConnection({
      url: o.brokerUrl,
      clientId: this.workerId,
      // No persistent session: Mosquitto keeps handing a dead member of a share group its share
      // of messages while its session lives. Batches a lost worker held are resent by the device.
      cleanStart: true,
      sessionExpiryS: 0,
      connectTimeoutMs: o.connectTimeoutMs ?? 10_000,
      operationTimeoutMs: o.operationTimeoutMs ?? 5_000,
      backoff: o.backoff ?? { baseMs: 500, maxMs: 30_000, minMs: 100 },
      subscriptions: [topicFilters.hqGrades, topicFilters.hqStatus, topicFilters.hqReleases],
      username: o.username,
      password: o.password,
      logger: o.logger,
      customHandleAcks: (topic, payload, packet, done) => {
        this.handle(topic, payload, packet).then(
          (reasonCode) => done(null, reasonCode),
          () => done(null, MqttReasonCode.UnspecifiedError),
        );
      },
      // QoS 0 messages get no PUBACK and so never pass customHandleAcks.
      onMessage: (topic, payload, packet) => {
        if (packet.qos === 0) void this.handle(topic, payload, packet);
      },
    });
    this.connection.start();
  }

  async stop(): Promise<void> {
    await this.connection?.stop();
  }

  /** Never throws: every outcome is a PUBACK reason code and, when not success, a log line. */
  private async handle(topic: string, payload: Buffer, packet: IPublishPacket): Promise<number> {
    try {
      const kind = parseTopic(topic)?.kind;
      if (kind === 'grades') return await this.handleBatch(topic, payload, packet);
      if (kind === 'status' || kind === 'release') return await this.handleRetained(kind, topic, payload);
      return this.drop(topic, payload, new SyncError('TOPIC_UNKNOWN', 'HQ does not take messages on this topic'));
    } catch (error) {
      this.options.logger.error('hq.handle_failed', { topic, message: (error as Error).message });
      return MqttReasonCode.UnspecifiedError;
    }
  }

  private drop(topic: string, payload: Buffer, error: SyncError): number {
    this.counters.droppedPayloads++;
    this.options.logger.warn('hq.payload_dropped', { topic, bytes: payload.length, code: error.code, reasonCode: error.reasonCode, reason: error.message });
    return error.reasonCode;
  }

  /** A retained per-device report (status or release outcome): decode, record, count. */
  private async handleRetained(kind: 'status' | 'release', topic: string, payload: Buffer): Promise<number> {
    // An empty retained message is how a retained message is cleared: nothing to record.
    if (payload.length === 0) return MqttReasonCode.Success;
    const decoded = decodeMessage(kind, topic, payload);
    if (!decoded.ok) return this.drop(topic, payload, decoded.error);
    try {
      if (decoded.value.schema === 'loupe.sync.status/v1') {
        await this.options.store.recordStatus(decoded.value);
        this.counters.statuses++;
      } else {
        await this.options.store.recordRelease(decoded.value);
      }
      return MqttReasonCode.Success;
    } catch (error) {
      this.counters.storeFailures++;
      this.options.logger.error(`hq.${kind}_store_failed`, { topic, message: (error as Error).message });
      return MqttReasonCode.UnspecifiedError;
    }
  }

  private async handleBatch(topic: string, payload: Buffer, packet: IPublishPacket): Promise<number> {
    const decoded = decodeMessage('grades', topic, payload);
    if (!decoded.ok) return this.drop(topic, payload, decoded.error);
    const batch = decoded.value;
    const correlationId = correlationIdOf(packet.properties);
    if (correlationId !== undefined && correlationId !== batch.batchId) {
      return this.drop(topic, payload, new SyncError('CORRELATION_MISMATCH', `correlation data ${correlationId} ≠ batchId ${batch.batchId}`));
    }
    const split = splitBatchRecords(batch);
    let accepted = split.accepted;
    const rejected = split.rejected;
    if (accepted.length > 0 && (this.options.signatures ?? 'enforce') === 'enforce') {
      let keys;
      try {
        keys = await this.options.store.listDeviceKeys({ storeId: batch.storeId, deviceId: batch.deviceId });
      } catch (error) {
        // As a failed commit: no ack, and the device resends the batch after its ack timeout.
        this.counters.storeFailures++;
        this.options.logger.error('hq.key_lookup_failed', { topic, batchId: batch.batchId, message: (error as Error).message });
        return MqttReasonCode.UnspecifiedError;
      }
      const checked = checkSignatures(accepted, keys, this.publicKeys);
      accepted = checked.verified;
      rejected.push(...checked.rejected);
      this.counters.signatureRejections += checked.rejected.length;
    }
    let committed: string[] = [];
    if (accepted.length > 0) {
      try {
        const result = await this.options.store.commitBatch({
          batchId: batch.batchId,
          storeId: batch.storeId,
          deviceId: batch.deviceId,
          records: accepted,
          receivedAt: new Date().toISOString(),
        });
        committed = result.committed;
        rejected.push(...result.rejected);
        this.counters.insertedRecords += result.inserted;
        this.counters.duplicateRecords += result.duplicates;
      } catch (error) {
        // No ack: the device keeps the rows and resends the batch after its ack timeout.
        this.counters.storeFailures++;
        this.options.logger.error('hq.commit_failed', { topic, batchId: batch.batchId, code: (error as SyncError).code, message: (error as Error).message });
        return MqttReasonCode.UnspecifiedError;
      }
    }
    for (const r of rejected) this.options.logger.warn('hq.record_rejected', { topic, batchId: batch.batchId, recordId: r.id, code: r.code, reason: r.reason });
    this.counters.batches++;
    this.options.logger.debug('hq.committed', { topic, batchId: batch.batchId, attempt: batch.attempt, committed: committed.length, rejected: rejected.length, worker: this.workerId });
    this.counters.committedRecords += committed.length;
    this.counters.rejectedRecords += rejected.length;
    this.sendAck(decoded.topic, batch, packet, { committed, rejected });
    return MqttReasonCode.Success;
  }

  private sendAck(address: ParsedTopic, batch: GradesBatchV1, packet: IPublishPacket, outcome: Pick<AckV1, 'committed' | 'rejected'>): void {
    const ackTopic = deviceTopic('ack', address);
    const asked = packet.properties?.responseTopic;
    if (asked && asked !== ackTopic) {
      // A device may only be answered on its own ack topic, whatever its response topic says.
      this.options.logger.warn('hq.response_topic_ignored', { topic: deviceTopic('grades', address), asked, used: ackTopic });
    }
    const ack: AckV1 = {
      schema: 'loupe.sync.ack/v1',
      batchId: batch.batchId,
      deviceId: batch.deviceId,
      ...outcome,
      hqAt: new Date().toISOString(),
      worker: this.workerId,
    };
    const correlationId = correlationIdOf(packet.properties) ?? batch.batchId;
    // Not awaited: this runs inside the PUBACK handler, and MQTT.js handles incoming packets one
    // at a time, so waiting here for the ack's own PUBACK would deadlock.
    this.connection?.publishNoWait(ackTopic, encodePayload('ack', ack), { qos: 1, retain: false, properties: publishProperties('ack', { correlationId }) }, (error) => {
      if (error) this.options.logger.warn('hq.ack_publish_failed', { topic: ackTopic, batchId: batch.batchId, message: error.message });
    });
  }
}
