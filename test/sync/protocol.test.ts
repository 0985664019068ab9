import { describe, expect, it } from 'vitest';
import {
  MAX_PAYLOAD_BYTES,
  MqttReasonCode,
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
} from '../../cloud-sync/protocol/index.ts';
import { makeRecord, testSigningKey } from './helpers/records.ts';

const address = { storeId: 'store-1', deviceId: 'dev-1' };
const key = testSigningKey();

function batch(records: unknown[], overrides: Partial<GradesBatchV1> = {}): GradesBatchV1 {
  return {
    schema: 'loupe.sync.grades/v1',
    batchId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    ...address,
    sentAt: new Date().toISOString(),
    attempt: 1,
    seqs: records.map((_, i) => i + 1),
    records,
    ...overrides,
  };
}

describe('topics', () => {
  it('builds and parses every device topic', () => {
    for (const kind of ['grades', 'ack', 'status'] as const) {
      const topic = deviceTopic(kind, address);
      expect(topic).toBe(`loupe/v1/store-1/dev-1/${kind}`);
      expect(parseTopic(topic)).toEqual({ ...address, kind });
    }
  });

  it('refuses ids that would break the topic tree', () => {
    expect(() => deviceTopic('grades', { storeId: 'a/b', deviceId: 'd' })).toThrow(/topic level/);
    expect(() => deviceTopic('grades', { storeId: 's', deviceId: '+' })).toThrow(/topic level/);
    expect(parseTopic('loupe/v1/s/d/other')).toBeUndefined();
    expect(parseTopic('loupe/v2/s/d/grades')).toBeUndefined();
    expect(parseTopic('loupe/v1/s/d/grades/extra')).toBeUndefined();
  });

  it('HQ ingests through a shared subscription and reads status unshared (retained status needs that)', () => {
    expect(topicFilters.hqGrades).toBe('$share/hq/loupe/v1/+/+/grades');
    expect(topicFilters.hqStatus.startsWith('$share')).toBe(false);
  });
});

describe('decodeMessage', () => {
  const topic = deviceTopic('grades', address);

  it('decodes a valid batch', () => {
    const records = [makeRecord({ ...address, key })];
    const decoded = decodeMessage('grades', topic, encodePayload('grades', batch(records)));
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(decoded.value.records).toHaveLength(1);
  });

  it.each([
    ['empty', Buffer.alloc(0), 'PAYLOAD_EMPTY', MqttReasonCode.PayloadFormatInvalid],
    ['not JSON', Buffer.from('{"batchId": '), 'PAYLOAD_NOT_JSON', MqttReasonCode.PayloadFormatInvalid],
    ['wrong types', Buffer.from(JSON.stringify({ schema: 'loupe.sync.grades/v1', batchId: 7, records: 'x' })), 'PAYLOAD_INVALID', MqttReasonCode.PayloadFormatInvalid],
    ['a JSON string', Buffer.from('"hello"'), 'PAYLOAD_INVALID', MqttReasonCode.PayloadFormatInvalid],
    ['huge', Buffer.alloc(MAX_PAYLOAD_BYTES.grades + 1, 0x20), 'PAYLOAD_TOO_LARGE', MqttReasonCode.QuotaExceeded],
  ])('refuses a payload that is %s, with a code and a reason', (_name, payload, code, reasonCode) => {
    const decoded = decodeMessage('grades', topic, payload);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) {
      expect(decoded.error.code).toBe(code);
      expect(decoded.error.reasonCode).toBe(reasonCode);
      expect(decoded.error.message.length).toBeGreaterThan(5);
    }
  });

  it('names the offending field', () => {
    const decoded = decodeMessage('grades', topic, Buffer.from(JSON.stringify({ ...batch([{}]), attempt: 'first' })));
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error.message).toMatch(/attempt/);
  });

  it('refuses a payload that names another device than its topic', () => {
    const other = batch([makeRecord({ ...address, key })], { deviceId: 'dev-2' });
    const decoded = decodeMessage('grades', topic, Buffer.from(JSON.stringify(other)));
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error.code).toBe('TOPIC_MISMATCH');
  });

  it('refuses seqs that do not match the records or do not increase', () => {
    const r = [makeRecord({ ...address, key }), makeRecord({ ...address, key })];
    for (const seqs of [[1], [2, 2], [3, 1]]) {
      const decoded = decodeMessage('grades', topic, Buffer.from(JSON.stringify(batch(r, { seqs }))));
      expect(decoded.ok, `seqs ${seqs}`).toBe(false);
    }
  });

  it('refuses a payload decoded for the wrong kind of topic', () => {
    const decoded = decodeMessage('ack', topic, Buffer.from('{}'));
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error.code).toBe('TOPIC_UNKNOWN');
  });

  it('decodes an ack and a status', () => {
    const ack: AckV1 = { schema: 'loupe.sync.ack/v1', batchId: batch([]).batchId, deviceId: 'dev-1', committed: ['a'], rejected: [], hqAt: new Date().toISOString() };
    expect(decodeMessage('ack', deviceTopic('ack', address), encodePayload('ack', ack)).ok).toBe(true);
    const status = { schema: 'loupe.sync.status/v1', ...address, state: 'offline', at: new Date().toISOString(), backlog: null, oldestUnsentAgeS: null, modelVersion: null } as const;
    expect(decodeMessage('status', deviceTopic('status', address), encodePayload('status', status)).ok).toBe(true);
  });

  it('refuses to encode an invalid outgoing payload', () => {
    expect(() => encodePayload('status', { schema: 'loupe.sync.status/v1', state: 'asleep' } as never)).toThrow(/invalid status payload/);
  });
});

describe('splitBatchRecords', () => {
  it('accepts valid records and rejects the rest one by one', () => {
    const good = makeRecord({ ...address, key });
    const otherDevice = makeRecord({ storeId: 'store-1', deviceId: 'dev-9', key });
    const broken = { ...makeRecord({ ...address, key }), carat: 'heavy' };
    const { accepted, rejected } = splitBatchRecords(batch([good, otherDevice, broken, { nothing: true }]));
    expect(accepted.map((a) => a.record.id)).toEqual([good.id]);
    expect(accepted[0].seq).toBe(1);
    expect(rejected.map((r) => r.code)).toEqual(['RECORD_DEVICE_MISMATCH', 'RECORD_INVALID', 'RECORD_INVALID']);
    expect(rejected[0].id).toBe(otherDevice.id);
    expect(rejected[2].id).toBe('seq:4');
    expect(rejected[1].reason).toMatch(/carat/);
  });

  it('commits a record repeated inside one batch once', () => {
    const good = makeRecord({ ...address, key });
    expect(splitBatchRecords(batch([good, good])).accepted).toHaveLength(1);
  });
});

describe('MQTT 5 properties', () => {
  it('carries the correlation id and the response topic', () => {
    const props = publishProperties('grades', { responseTopic: deviceTopic('ack', address), correlationId: 'abc' });
    expect(correlationIdOf(props)).toBe('abc');
    expect(props.responseTopic).toBe('loupe/v1/store-1/dev-1/ack');
    expect(props.messageExpiryInterval).toBeGreaterThan(0);
    expect(publishProperties('status').messageExpiryInterval).toBeUndefined();
    expect(correlationIdOf(undefined)).toBeUndefined();
  });
});
