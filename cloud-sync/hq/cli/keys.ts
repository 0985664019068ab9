/**
 * `loupe hq keys add --identity FILE [--identity FILE …]`, `loupe hq keys list [--store S]
 * [--device D] [--json]` and `loupe hq keys revoke --store S --device D --key-id K`: the device
 * keys HQ verifies grade records with (signatures.ts). Each command opens the store (and
 * migrates it) on its own, so it works beside running `loupe hq serve` workers, which look the
 * keys up per batch.
 */
import { readFileSync } from 'node:fs';
import { SyncError } from '../../protocol/errors.ts';
import { deviceKeyFromIdentity } from '../device-keys.ts';
import { withHqStore } from '../store/index.ts';
import { parseHqArgs } from './args.ts';
import { formatTable } from './table.ts';

function readIdentityFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SyncError('DEVICE_KEY_INVALID', `cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SyncError('DEVICE_KEY_INVALID', `${file}: not JSON (${(error as Error).message})`);
  }
}

export async function add(argv: string[]): Promise<number> {
  const { config, values } = parseHqArgs(argv, { identity: { type: 'string', multiple: true } });
  const files = (values.identity as string[] | undefined) ?? [];
  if (files.length === 0) throw new SyncError('CONFIG_INVALID', "--identity FILE is required: the device's identity/device.json, or the output of `loupe identity --json` on it");
  // Every file is checked before any is stored, so a typo in one adds none.
  const keys = files.map((file) => deviceKeyFromIdentity(readIdentityFile(file), file));
  let revoked = 0;
  await withHqStore(config.dbSpec, async (store) => {
    for (const key of keys) {
      const outcome = await store.addDeviceKey(key);
      const address = `${key.storeId}/${key.deviceId} key ${key.keyId}`;
      if (outcome === 'revoked') {
        revoked++;
        process.stderr.write(`loupe hq keys add: [DEVICE_KEY_REVOKED] ${address} was revoked and stays revoked; give the device a new identity\n`);
      } else {
        process.stdout.write(`${outcome === 'added' ? 'added' : 'already trusted'}: ${address}\n`);
      }
    }
  });
  return revoked > 0 ? 1 : 0;
}

export async function list(argv: string[]): Promise<number> {
  const { config, values } = parseHqArgs(argv, { store: { type: 'string' }, device: { type: 'string' }, json: { type: 'boolean' } });
  const keys = await withHqStore(config.dbSpec, (store) => store.listDeviceKeys({ storeId: values.store as string | undefined, deviceId: values.device as string | undefined }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ keys }, null, 2)}\n`);
  } else if (keys.length === 0) {
    process.stdout.write('HQ trusts no device keys yet: add them with loupe hq keys add --identity FILE\n');
  } else {
    process.stdout.write(
      formatTable(
        ['STORE', 'DEVICE', 'KEY ID', 'STATE', 'ADDED', 'REVOKED'],
        keys.map((k) => [k.storeId, k.deviceId, k.keyId, k.revokedAt === null ? 'trusted' : 'revoked', k.addedAt, k.revokedAt ?? '-']),
      ),
    );
  }
  return 0;
}

export async function revoke(argv: string[]): Promise<number> {
  const { config, values } = parseHqArgs(argv, { store: { type: 'string' }, device: { type: 'string' }, 'key-id': { type: 'string' } });
  const address = { storeId: values.store as string | undefined, deviceId: values.device as string | undefined, keyId: values['key-id'] as string | undefined };
  if (!address.storeId || !address.deviceId || !address.keyId) throw new SyncError('CONFIG_INVALID', '--store S --device D --key-id K are all required (loupe hq keys list shows them)');
  const done = await withHqStore(config.dbSpec, (store) => store.revokeDeviceKey(address as { storeId: string; deviceId: string; keyId: string }, new Date().toISOString()));
  if (!done) {
    process.stderr.write(`loupe hq keys revoke: [DEVICE_KEY_NOT_FOUND] HQ holds no trusted key ${address.keyId} for ${address.storeId}/${address.deviceId}\n`);
    return 1;
  }
  process.stdout.write(`revoked: ${address.storeId}/${address.deviceId} key ${address.keyId}; its records are refused from now on\n`);
  return 0;
}
