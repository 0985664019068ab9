/**
 * `loupe hq release keygen --out DIR`: HQ's release signing key pair (the private half stays at
 * HQ; the public half goes to every device as identity/hq-release-key.pem).
 * `loupe hq release publish --release DIR --key FILE [--store S …] [--device D …] [--broker URL]`:
 * announces a release folder to the fleet (or to those stores / devices) over MQTT.
 * `loupe hq release pin --name N --version V --key FILE [--store S …] [--device D …]`: the
 * rollback: those devices run N@V (one they hold) and ignore announcements published before it.
 * `loupe hq release status [--name N] [--json]`: per release, the devices running it, that took
 * it, that rolled it back by themselves, and that refused it (by code).
 */
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { keyIdOf } from '../../../provisioning/identity.ts';
import { SyncError } from '../../protocol/errors.ts';
import { publishPin, publishRelease, releaseKeyFromPem } from '../release-publisher.ts';
import type { HqConfig } from '../config.ts';
import { summarizeRollout, type RolloutRow } from '../rollout.ts';
import { withHqStore } from '../store/index.ts';
import { parseHqArgs } from './args.ts';
import { formatTable } from './table.ts';

export const PRIVATE_RELEASE_KEY = 'hq-release-key.private.pem';
export const PUBLIC_RELEASE_KEY = 'hq-release-key.pem';

export async function keygen(argv: string[]): Promise<number> {
  const { values } = parseHqArgs(argv, { out: { type: 'string' } });
  const out = values.out as string | undefined;
  if (!out) throw new SyncError('CONFIG_INVALID', '--out DIR is required: where to write the release key pair');
  const privateFile = join(resolve(out), PRIVATE_RELEASE_KEY);
  if (existsSync(privateFile)) throw new SyncError('CONFIG_INVALID', `${privateFile} exists: a release key is not replaced in place (devices trust the old one)`);
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  mkdirSync(resolve(out), { recursive: true, mode: 0o700 });
  writeFileSync(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
  chmodSync(privateFile, 0o600);
  writeFileSync(join(resolve(out), PUBLIC_RELEASE_KEY), publicKey.export({ type: 'spki', format: 'pem' }) as string, { mode: 0o644 });
  process.stdout.write(
    `release key ${keyIdOf(publicKey)}\n  private: ${privateFile} (keep it at HQ)\n  public:  ${join(resolve(out), PUBLIC_RELEASE_KEY)} (give every device a copy as <data>/identity/${PUBLIC_RELEASE_KEY})\n`,
  );
  return 0;
}

/** The signing key (--key), the target (--store, --device) and the broker settings both publishing commands share. */
function signingContext(config: HqConfig, values: Record<string, unknown>) {
  let pem: string;
  try {
    pem = readFileSync(values.key as string, 'utf8');
  } catch (error) {
    throw new SyncError('CONFIG_INVALID', `cannot read ${values.key as string}: ${(error as Error).message}`);
  }
  const { keyId, privateKey } = releaseKeyFromPem(pem);
  const stores = (values.store as string[] | undefined) ?? null;
  const devices = (values.device as string[] | undefined) ?? null;
  return {
    keyId,
    audience: `${stores ? `stores ${stores.join(', ')}` : 'every store'}${devices ? `, devices ${devices.join(', ')}` : ''}`,
    options: {
      brokerUrl: config.brokerUrl,
      username: config.username ?? undefined,
      password: config.password ?? undefined,
      privateKey,
      target: { stores, devices },
      timeoutMs: config.operationTimeoutMs * 6,
    },
  };
}

const TARGET_FLAGS = { key: { type: 'string' }, store: { type: 'string', multiple: true }, device: { type: 'string', multiple: true } } as const;

export async function publish(argv: string[]): Promise<number> {
  const { config, values } = parseHqArgs(argv, { release: { type: 'string' }, ...TARGET_FLAGS });
  const releaseDir = values.release as string | undefined;
  if (!releaseDir || !values.key) throw new SyncError('CONFIG_INVALID', `--release DIR and --key FILE are required (the key from loupe hq release keygen: ${PRIVATE_RELEASE_KEY})`);
  const { keyId, audience, options } = signingContext(config, values);
  const announcement = await publishRelease({ ...options, releaseDir: resolve(releaseDir) });
  const bytes = announcement.files.reduce((n, f) => n + f.bytes, 0);
  process.stdout.write(`announced ${announcement.name}@${announcement.version} (${announcement.files.length} files, ${bytes} bytes, signed by ${keyId}) to ${audience} on ${config.brokerUrl}\n`);
  return 0;
}

export async function pin(argv: string[]): Promise<number> {
  const { config, values } = parseHqArgs(argv, { name: { type: 'string' }, version: { type: 'string' }, ...TARGET_FLAGS });
  const name = values.name as string | undefined;
  const version = values.version as string | undefined;
  if (!name || !version || !values.key) throw new SyncError('CONFIG_INVALID', '--name N --version V --key FILE are required, e.g. --name loupe-rb --version 1.1.1');
  const { keyId, audience, options } = signingContext(config, values);
  const sent = await publishPin({ ...options, name, version });
  process.stdout.write(`pinned ${sent.name}@${sent.version} at ${sent.issuedAt} (signed by ${keyId}) for ${audience}; loupe hq devices shows each device's outcome\n`);
  return 0;
}

/** `loupe hq release status [--name N] [--json]`: the rollout across the fleet (rollout.ts). */
export async function status(argv: string[]): Promise<number> {
  const { config, values } = parseHqArgs(argv, { name: { type: 'string' }, json: { type: 'boolean' } });
  const devices = await withHqStore(config.dbSpec, (store) => store.listDevices());
  const rollout = summarizeRollout(devices, { name: values.name as string | undefined });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rollout, null, 2)}\n`);
    return 0;
  }
  if (rollout.releases.length === 0) {
    process.stdout.write(`no release reported by any of ${rollout.devices} devices${values.name ? ` for ${values.name as string}` : ''}\n`);
    return 0;
  }
  const refused = (r: RolloutRow) =>
    Object.entries(r.refused)
      .map(([code, n]) => `${code} ${n}`)
      .join(', ') || '-';
  process.stdout.write(
    formatTable(
      ['RELEASE', 'RUNNING', 'INSTALLED', 'ROLLED BACK', 'REFUSED'],
      rollout.releases.map((r) => [r.release, String(r.running), String(r.installed), String(r.rolledBack), refused(r)]),
    ),
  );
  process.stdout.write(`${rollout.devices} devices; ${rollout.withoutOutcome} have reported no release outcome. loupe hq devices lists each one.\n`);
  return 0;
}
