/**
 * `loupe hq devices [--data DIR] [--db …] [--json]`: every device with its status, backlog and
 * how many of its signing keys HQ trusts (a device with none has its grades refused until it is
 * enrolled with `loupe hq keys add`).
 */
import { withHqStore } from '../store/index.ts';
import { parseHqArgs } from './args.ts';
import { formatTable } from './table.ts';

export async function run(argv: string[]): Promise<number> {
  const { config, values } = parseHqArgs(argv, { json: { type: 'boolean' } });
  const [keys, listed] = await withHqStore(config.dbSpec, (store) => Promise.all([store.listDeviceKeys(), store.listDevices()]));
  const trustedKeys = (storeId: string, deviceId: string) => keys.filter((k) => k.storeId === storeId && k.deviceId === deviceId && k.revokedAt === null).length;
  const devices = listed.map((d) => ({ ...d, trustedKeys: trustedKeys(d.storeId, d.deviceId) }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ devices }, null, 2)}\n`);
    return 0;
  }
  if (devices.length === 0) {
    process.stdout.write('no devices have reported yet\n');
    return 0;
  }
  process.stdout.write(
    formatTable(
      ['STORE', 'DEVICE', 'STATE', 'BACKLOG', 'OLDEST UNSENT', 'MODEL', 'GRADES', 'KEYS', 'RELEASE', 'LAST BATCH', 'STATUS AT', 'NOTE'],
      devices.map((d) => [
        d.storeId,
        d.deviceId,
        d.state ?? '-',
        d.backlog === null ? '-' : String(d.backlog),
        d.oldestUnsentAgeS === null ? '-' : `${d.oldestUnsentAgeS}s`,
        d.modelVersion ?? '-',
        String(d.gradesCount),
        d.trustedKeys === 0 ? 'none' : String(d.trustedKeys),
        d.release ? `${d.release.release} ${d.release.state}${d.release.code ? ` (${d.release.code})` : ''}` : '-',
        d.lastBatchAt ?? '-',
        d.statusAt ?? '-',
        d.statusReason ?? '-',
      ]),
    ),
  );
  return 0;
}
