/**
 * `loupe identity [--data DIR] [--json]`: this device's id, store and public signing key, as HQ
 * registers them (`loupe hq keys add --identity FILE`). Creates the identity, as the daemon would
 * on first start, when there is none yet. `--json` prints the identity file itself (no secret:
 * the private key stays in identity/device-key.pem).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/load.ts';
import { IDENTITY_DIR, IDENTITY_FILE, loadOrCreateIdentity } from '../../provisioning/identity.ts';
import { parse } from './args.ts';

const USAGE = 'usage: loupe identity [--data DIR] [--json]';

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(argv, { data: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, USAGE);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig({ dataDir: values.data });
  const identity = loadOrCreateIdentity(config.dataDir, config.identity);
  const file = join(config.dataDir, IDENTITY_DIR, IDENTITY_FILE);
  if (values.json) {
    process.stdout.write(readFileSync(file, 'utf8'));
    return 0;
  }
  console.log(`device   ${identity.deviceId}
store    ${identity.storeId}
key id   ${identity.keyId} (ed25519, ${identity.origin === 'self' ? 'created on this device' : 'provisioned'}${identity.created ? ', just now' : ''})
file     ${file}

${identity.publicKeyPem.trimEnd()}

HQ commits this device's grades once it trusts the key: copy the file above to HQ and run
  loupe hq keys add --identity device.json`);
  return 0;
}
