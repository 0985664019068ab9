/**
 * Errors of the sync protocol. Each carries a stable code a person can look up and, where one
 * applies, the MQTT 5 reason code (OASIS MQTT 5.0 §2.4) that the PUBACK or log reports. Only
 * codes a PUBACK may carry (§3.4.2.1) are used for payload errors.
 */
export const MqttReasonCode = {
  Success: 0x00,
  NoMatchingSubscribers: 0x10,
  UnspecifiedError: 0x80,
  ImplementationSpecificError: 0x83,
  NotAuthorized: 0x87,
  TopicNameInvalid: 0x90,
  QuotaExceeded: 0x97,
  PayloadFormatInvalid: 0x99,
} as const;
export type MqttReasonCode = (typeof MqttReasonCode)[keyof typeof MqttReasonCode];

export type SyncErrorCode =
  | 'PAYLOAD_EMPTY'
  | 'PAYLOAD_TOO_LARGE'
  | 'PAYLOAD_NOT_JSON'
  | 'PAYLOAD_INVALID'
  | 'TOPIC_UNKNOWN'
  | 'TOPIC_MISMATCH'
  | 'CORRELATION_MISMATCH'
  | 'RECORD_INVALID'
  | 'RECORD_DEVICE_MISMATCH'
  | 'RECORD_CONFLICT'
  | 'SIGNATURE_KEY_UNKNOWN'
  | 'SIGNATURE_KEY_REVOKED'
  | 'SIGNATURE_INVALID'
  | 'DEVICE_KEY_INVALID'
  | 'HQ_STORE_FAILED'
  | 'BROKER_TIMEOUT'
  | 'BROKER_UNREACHABLE'
  | 'CONFIG_INVALID';

const defaultReasonCode: Record<SyncErrorCode, MqttReasonCode> = {
  PAYLOAD_EMPTY: MqttReasonCode.PayloadFormatInvalid,
  PAYLOAD_TOO_LARGE: MqttReasonCode.QuotaExceeded,
  PAYLOAD_NOT_JSON: MqttReasonCode.PayloadFormatInvalid,
  PAYLOAD_INVALID: MqttReasonCode.PayloadFormatInvalid,
  TOPIC_UNKNOWN: MqttReasonCode.TopicNameInvalid,
  TOPIC_MISMATCH: MqttReasonCode.NotAuthorized,
  CORRELATION_MISMATCH: MqttReasonCode.PayloadFormatInvalid,
  RECORD_INVALID: MqttReasonCode.PayloadFormatInvalid,
  RECORD_DEVICE_MISMATCH: MqttReasonCode.NotAuthorized,
  RECORD_CONFLICT: MqttReasonCode.ImplementationSpecificError,
  SIGNATURE_KEY_UNKNOWN: MqttReasonCode.NotAuthorized,
  SIGNATURE_KEY_REVOKED: MqttReasonCode.NotAuthorized,
  SIGNATURE_INVALID: MqttReasonCode.NotAuthorized,
  DEVICE_KEY_INVALID: MqttReasonCode.UnspecifiedError,
  HQ_STORE_FAILED: MqttReasonCode.UnspecifiedError,
  BROKER_TIMEOUT: MqttReasonCode.UnspecifiedError,
  BROKER_UNREACHABLE: MqttReasonCode.UnspecifiedError,
  CONFIG_INVALID: MqttReasonCode.UnspecifiedError,
};

/**
 * Rejections that say HQ will refuse every record of this device, not just one: its key is
 * unknown or revoked. The agent then pauses the whole device instead of cycling its outbox.
 */
export const DEVICE_REFUSAL_CODES: ReadonlySet<string> = new Set<SyncErrorCode>(['SIGNATURE_KEY_UNKNOWN', 'SIGNATURE_KEY_REVOKED']);

export class SyncError extends Error {
  readonly code: SyncErrorCode;
  readonly reasonCode: MqttReasonCode;

  constructor(code: SyncErrorCode, message: string, reasonCode: MqttReasonCode = defaultReasonCode[code]) {
    super(message);
    this.name = 'SyncError';
    this.code = code;
    this.reasonCode = reasonCode;
  }
}
