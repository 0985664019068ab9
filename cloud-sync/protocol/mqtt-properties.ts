/**
 * How each payload travels: QoS, retain, message expiry, and the MQTT 5 request/response
 * properties (response topic, correlation data). Both ends build their PUBLISH options here.
 */
import type { TopicKind } from './topics.ts';

export interface PublishPolicy {
  qos: 1;
  retain: boolean;
  /** MQTT 5 message expiry; undefined means the message never expires. */
  messageExpiryS?: number;
}

export const publishPolicy: Record<TopicKind, PublishPolicy> = {
  // A batch the broker has held this long is stale: the device resends unacked batches itself.
  grades: { qos: 1, retain: false, messageExpiryS: 15 * 60 },
  // An ack waits in the device's persistent session through an outage; past a week the
  // device will have resent the batch and HQ acks it again (its upsert makes that harmless).
  ack: { qos: 1, retain: false, messageExpiryS: 7 * 24 * 3600 },
  // Retained: whoever subscribes later learns the last state. The will is retained too.
  status: { qos: 1, retain: true },
  release: { qos: 1, retain: true },
};

export interface MqttPublishProperties {
  payloadFormatIndicator?: boolean;
  messageExpiryInterval?: number;
  contentType?: string;
  responseTopic?: string;
  correlationData?: Buffer;
}

export function publishProperties(kind: TopicKind, extra: { responseTopic?: string; correlationId?: string; messageExpiryS?: number } = {}): MqttPublishProperties {
  const properties: MqttPublishProperties = { payloadFormatIndicator: true, contentType: 'application/json' };
  const expiry = extra.messageExpiryS ?? publishPolicy[kind].messageExpiryS;
  if (expiry !== undefined) properties.messageExpiryInterval = expiry;
  if (extra.responseTopic) properties.responseTopic = extra.responseTopic;
  if (extra.correlationId) properties.correlationData = Buffer.from(extra.correlationId, 'utf8');
  return properties;
}

/** The correlation id a message carries in its MQTT 5 correlation data, if any. */
export function correlationIdOf(properties: { correlationData?: Buffer | Uint8Array } | undefined): string | undefined {
  const data = properties?.correlationData;
  return data && data.length > 0 ? Buffer.from(data).toString('utf8') : undefined;
}
