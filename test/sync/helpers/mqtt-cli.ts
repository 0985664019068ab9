/** The mosquitto_pub client, for publishing what a well-behaved peer never would. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const MOSQUITTO_PUB = process.env.LOUPE_MOSQUITTO_PUB ?? '/usr/bin/mosquitto_pub';

export interface PubOptions {
  port: number;
  topic: string;
  message?: string;
  file?: string;
  empty?: boolean;
  qos?: 0 | 1;
  retain?: boolean;
  correlationData?: string;
}

export async function mosquittoPub(o: PubOptions): Promise<void> {
  const args = ['-h', '127.0.0.1', '-p', String(o.port), '-V', 'mqttv5', '-q', String(o.qos ?? 1), '-t', o.topic];
  if (o.retain) args.push('-r');
  if (o.correlationData) args.push('-D', 'publish', 'correlation-data', o.correlationData);
  if (o.empty) args.push('-n');
  else if (o.file) args.push('-f', o.file);
  else args.push('-m', o.message ?? '');
  await run(MOSQUITTO_PUB, args, { timeout: 15_000 });
}
