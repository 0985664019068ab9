/**
 * One MQTT 5 connection, kept up: a fresh MQTT.js client per attempt, reconnects with
 * exponential back-off and jitter, resubscribes on every connect, and a timeout on every await
 * on the broker. Persistent state lives in the broker's session, not in this object.
 */
import mqtt, { type IClientOptions, type IPublishPacket, type MqttClient } from 'mqtt';
import { SyncError } from '../protocol/errors.ts';
import type { MqttPublishProperties } from '../protocol/mqtt-properties.ts';
import type { SyncLogger } from '../log.ts';
import { backoffDelay, type BackoffPolicy } from './backoff.ts';
import { withTimeout } from './timeout.ts';

export type ConnectionState = 'idle' | 'connecting' | 'online' | 'offline' | 'stopped';

export interface WillMessage {
  topic: string;
  payload: Buffer;
  qos: 1;
  retain: boolean;
}

export type CustomAckHandler = (topic: string, payload: Buffer, packet: IPublishPacket, done: (error: Error | null, reasonCode?: number) => void) => void;

export interface ConnectionOptions {
  url: string;
  clientId: string;
  /** false keeps a persistent session (with sessionExpiryS) across disconnects. */
  cleanStart: boolean;
  sessionExpiryS: number;
  keepaliveS?: number;
  connectTimeoutMs: number;
  /** Limit for every subscribe, publish and disconnect. */
  operationTimeoutMs: number;
  backoff: BackoffPolicy;
  subscriptions: string[];
  will?: WillMessage;
  /** Called for each QoS 1 message before its PUBACK; the reason code goes into the PUBACK. */
  customHandleAcks?: CustomAckHandler;
  username?: string;
  password?: string;
  logger: SyncLogger;
  onOnline?: (sessionPresent: boolean) => void;
  onOffline?: () => void;
  onMessage?: (topic: string, payload: Buffer, packet: IPublishPacket) => void;
  random?: () => number;
}

export interface PublishOptions {
  qos: 1;
  retain: boolean;
  properties?: MqttPublishProperties;
}

export class MqttConnection {
  private client: MqttClient | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private currentState: ConnectionState = 'idle';
  private lastErrorMessage: string | undefined;
  /** PUBACK reason codes by message id: MQTT.js resolves a publish with the PUBLISH packet, not the PUBACK. */
  private readonly pubackReasons = new Map<number, number>();

  constructor(private readonly options: ConnectionOptions) {}

  get state(): ConnectionState {
    return this.currentState;
  }

  get lastError(): string | undefined {
    return this.lastErrorMessage;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  start(): void {
    if (this.currentState !== 'idle') return;
    this.attempt();
  }

  async publish(topic: string, payload: Buffer, options: PublishOptions): Promise<{ reasonCode: number }> {
    const client = this.client;
    if (!client || this.currentState !== 'online') throw new SyncError('BROKER_UNREACHABLE', `not connected to ${this.options.url}`);
    const packet = await withTimeout(client.publishAsync(topic, payload, options), this.options.operationTimeoutMs, `PUBLISH to ${topic}`);
    const messageId = (packet as { messageId?: number } | undefined)?.messageId;
    if (messageId === undefined) return { reasonCode: 0 };
    const reasonCode = this.pubackReasons.get(messageId) ?? 0;
    this.pubackReasons.delete(messageId);
    return { reasonCode };
  }

  /** Publishes without waiting for the PUBACK (from inside a message handler, where awaiting would deadlock). */
  publishNoWait(topic: string, payload: Buffer, options: PublishOptions, onDone: (error?: Error) => void): void {
    const client = this.client;
    if (!client || this.currentState !== 'online') {
      onDone(new SyncError('BROKER_UNREACHABLE', `not connected to ${this.options.url}`));
      return;
    }
    client.publish(topic, payload, options, (error) => onDone(error ?? undefined));
  }

  /** Runs `beforeDisconnect` while still online (e.g. a last status), then disconnects; never hangs. */
  async stop(beforeDisconnect?: () => Promise<void>): Promise<void> {
    if (this.currentState === 'stopped') return;
    const wasOnline = this.currentState === 'online';
    clearTimeout(this.retryTimer);
    const client = this.client;
    if (wasOnline && beforeDisconnect) {
      await beforeDisconnect().catch((error: Error) => this.options.logger.warn('mqtt.stop.before_disconnect_failed', { message: error.message }));
    }
    this.currentState = 'stopped';
    if (!client) return;
    try {
      await withTimeout(client.endAsync(false), this.options.operationTimeoutMs, 'DISCONNECT');
    } catch {
      client.end(true);
    }
    this.client = undefined;
  }

  private attempt(): void {
    if (this.currentState === 'stopped') return;
    this.currentState = 'connecting';
    const { options } = this;
    const clientOptions: IClientOptions = {
      protocolVersion: 5,
      clientId: options.clientId,
      clean: options.cleanStart,
      keepalive: options.keepaliveS ?? 30,
      connectTimeout: options.connectTimeoutMs,
      reconnectPeriod: 0,
      resubscribe: false,
      properties: { sessionExpiryInterval: options.sessionExpiryS, maximumPacketSize: 64 * 1024 * 1024 },
      username: options.username,
      password: options.password,
    };
    if (options.will) clientOptions.will = { ...options.will, properties: { payloadFormatIndicator: true, contentType: 'application/json' } };
    if (options.customHandleAcks) clientOptions.customHandleAcks = options.customHandleAcks as IClientOptions['customHandleAcks'];
    const client = mqtt.connect(options.url, clientOptions);
    this.client = client;
    this.pubackReasons.clear();
    client.on('error', (error) => {
      this.lastErrorMessage = error.message;
      options.logger.debug('mqtt.error', { clientId: options.clientId, message: error.message, code: (error as { code?: unknown }).code });
    });
    client.on('message', (topic, payload, packet) => options.onMessage?.(topic, payload, packet));
    client.on('packetreceive', (packet) => {
      if (packet.cmd === 'puback' && packet.messageId !== undefined) this.pubackReasons.set(packet.messageId, packet.reasonCode ?? 0);
    });
    client.on('close', () => this.onClose(client));
    client.once('connect', (connack) => void this.onConnect(client, connack.sessionPresent ?? false));
  }

  private async onConnect(client: MqttClient, sessionPresent: boolean): Promise<void> {
    try {
      if (this.options.subscriptions.length > 0) {
        const granted = await withTimeout(
          client.subscribeAsync(this.options.subscriptions, { qos: 1 }),
          this.options.operationTimeoutMs,
          'SUBSCRIBE',
        );
        const refused = granted.filter((g) => g.qos > 2);
        if (refused.length > 0) throw new SyncError('BROKER_UNREACHABLE', `the broker refused ${refused.map((g) => `${g.topic} (reason ${g.qos})`).join(', ')}`);
      }
    } catch (error) {
      this.lastErrorMessage = (error as Error).message;
      this.options.logger.warn('mqtt.subscribe_failed', { clientId: this.options.clientId, message: (error as Error).message });
      client.end(true);
      return;
    }
    if (client !== this.client || this.currentState === 'stopped') return;
    this.failures = 0;
    this.lastErrorMessage = undefined;
    this.currentState = 'online';
    this.options.logger.info('mqtt.online', { clientId: this.options.clientId, url: this.options.url, sessionPresent });
    this.options.onOnline?.(sessionPresent);
  }

  private onClose(client: MqttClient): void {
    if (client !== this.client) return;
    const wasOnline = this.currentState === 'online';
    if (this.currentState === 'stopped') return;
    this.currentState = 'offline';
    this.client = undefined;
    client.removeAllListeners('message');
    client.end(true);
    if (wasOnline) {
      this.options.logger.warn('mqtt.offline', { clientId: this.options.clientId, url: this.options.url, message: this.lastErrorMessage });
      this.options.onOffline?.();
    }
    const delay = backoffDelay(this.failures++, this.options.backoff, this.options.random);
    this.options.logger.debug('mqtt.retry', { clientId: this.options.clientId, inMs: delay });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.attempt(), delay);
  }
}
