/** `loupe hq devices [--data DIR] [--db …] [--json]`: every device with its status and backlog. */
import { createHqStore } from '../store/index.ts';
import { parseHqArgs } from './args.ts';
import { formatTable } from './table.ts';

export async function run(argv: string[]): Promise<number> {
  const { config, values } = parseHqArgs(argv, { json: { type: 'boolean' } });
  const store = createHqStore(config.dbSpec);
  await store.open();
  try {
    const devices = await store.listDevices();
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
        ['STORE', 'DEVICE', 'STATE', 'BACKLOG', 'OLDEST UNSENT', 'MODEL', 'GRADES', 'LAST BATCH', 'STATUS AT'],
        devices.map((d) => [
          d.storeId,
          d.deviceId,
          d.state ?? '-',
          d.backlog === null ? '-' : String(d.backlog),
          d.oldestUnsentAgeS === null ? '-' : `${d.oldestUnsentAgeS}s`,
          d.modelVersion ?? '-',
          String(d.gradesCount),
          d.lastBatchAt ?? '-',
          d.statusAt ?? '-',
        ]),
      ),
    );
    return 0;
  } finally {
    await store.close();
  }
}
