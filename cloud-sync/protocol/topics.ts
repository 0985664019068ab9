/**
 * Every topic of the sync protocol, in one place. Version 1 lives under `loupe/v1/`; a v2 is
 * added beside it, never in place.
 *
 *   loupe/v1/<store>/<device>/grades   device → HQ   GradesBatchV1 (QoS 1, response topic = ack)
 *   loupe/v1/<store>/<device>/ack      HQ → device   AckV1 (QoS 1, correlation data = batchId)
 *   loupe/v1/<store>/<device>/status   device → all  DeviceStatusV1 (QoS 1, retained, last will)
 *   loupe/v1/<store>/<device>/release  device → HQ   DeviceReleaseV1 (QoS 1, retained): the last model release it took or refused
 */
export const PROTOCOL_ROOT = 'loupe/v1';
export const HQ_SHARE_GROUP = 'hq';

export type TopicKind = 'grades' | 'ack' | 'status' | 'release';
export const TOPIC_KINDS: readonly TopicKind[] = ['grades', 'ack', 'status', 'release'];

export interface DeviceAddress {
  storeId: string;
  deviceId: string;
}

/** A store or device id is one topic level (the identity's own pattern): no wildcards, no separators, no `$`. */
const SEGMENT = /^[A-Za-z0-9._-]{1,64}$/;

export function isValidSegment(value: string): boolean {
  return SEGMENT.test(value);
}

export function assertSegment(what: string, value: string): void {
  if (!isValidSegment(value)) {
    throw new RangeError(`${what} "${value}" cannot be a topic level: use 1–64 of A-Z a-z 0-9 . _ -`);
  }
}

export function deviceTopic(kind: TopicKind, address: DeviceAddress): string {
  assertSegment('store id', address.storeId);
  assertSegment('device id', address.deviceId);
  return `${PROTOCOL_ROOT}/${address.storeId}/${address.deviceId}/${kind}`;
}

export const topicFilters = {
  /** What every HQ ingest worker subscribes to; the broker hands each batch to one of them. */
  hqGrades: `$share/${HQ_SHARE_GROUP}/${PROTOCOL_ROOT}/+/+/grades`,
  /** Not shared: retained status is only sent on non-shared subscriptions (MQTT 5 §4.8.2). */
  hqStatus: `${PROTOCOL_ROOT}/+/+/status`,
  /** Not shared either, for the same reason: each device's last release outcome is retained. */
  hqReleases: `${PROTOCOL_ROOT}/+/+/release`,
  deviceAck: (address: DeviceAddress) => deviceTopic('ack', address),
} as const;

export interface ParsedTopic extends DeviceAddress {
  kind: TopicKind;
}

/** The inverse of deviceTopic; undefined for a topic outside the protocol. */
export function parseTopic(topic: string): ParsedTopic | undefined {
  const parts = topic.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}` !== PROTOCOL_ROOT) return undefined;
  const [, , storeId, deviceId, kind] = parts;
  if (!isValidSegment(storeId) || !isValidSegment(deviceId)) return undefined;
  if (!(TOPIC_KINDS as readonly string[]).includes(kind)) return undefined;
  return { storeId, deviceId, kind: kind as TopicKind };
}
