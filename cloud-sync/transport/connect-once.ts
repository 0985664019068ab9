/**
 * A one-off MQTT 5 client (clean start, no reconnects) for short jobs: publishing a release,
 * downloading one. Resolves once connected, within `timeoutMs`; a failed connect ends the client.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { withTimeout } from './timeout.ts';

export interface ConnectOnceOptions {
  brokerUrl: string;
  username?: string;
  password?: string;
  clientId?: string;
}

export async function connectOnce(options: ConnectOnceOptions, timeoutMs: number): Promise<MqttClient> {
  const client = mqtt.connect(options.brokerUrl, {
    protocolVersion: 5,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: timeoutMs,
    ...(options.clientId && { clientId: options.clientId }),
    username: options.username,
    password: options.password,
  });
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        client.once('error', reject);
      }),
      timeoutMs,
      `connect to ${options.brokerUrl}`,
    );
    return client;
  } catch (error) {
    client.end(true);
    throw error;
  }
}

/** Disconnects within 5 s, else drops the socket. */
export async function endOnce(client: MqttClient): Promise<void> {
  await withTimeout(client.endAsync(), 5000, 'disconnect').catch(() => client.end(true));
}
