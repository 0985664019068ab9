/** `loupe hq grades --store S [--device D] [--limit N] [--json]`: grades HQ holds, in device order. */
import { SyncError } from '../../protocol/errors.ts';
import { createHqStore } from '../store/index.ts';
import { parseHqArgs } from './args.ts';
import { formatTable } from './table.ts';

export async function run(argv: string[]): Promise<number> {
  const { config, values } = parseHqArgs(argv, {
    store: { type: 'string' },
    device: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  });
  const storeId = values.store as string | undefined;
  if (!storeId) throw new SyncError('CONFIG_INVALID', '--store S is required (the store id whose grades to list)');
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new SyncError('CONFIG_INVALID', `--limit "${values.limit}": expected a whole number ≥ 1`);
  const store = createHqStore(config.dbSpec);
  await store.open();
  try {
    const grades = await store.listGrades({ storeId, deviceId: values.device as string | undefined, limit });
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ grades: grades.map((g) => g.record) }, null, 2)}\n`);
      return 0;
    }
    if (grades.length === 0) {
      process.stdout.write(`no grades for store ${storeId}\n`);
      return 0;
    }
    process.stdout.write(
      formatTable(
        ['DEVICE', 'SEQ', 'CREATED', 'ID', 'COLOUR', 'CLARITY', 'CUT', 'CARAT', 'MODEL'],
        grades.map((g) => [g.deviceId, String(g.deviceSeq), g.createdAt, g.id, g.colour, g.clarity, g.cut, g.carat.toFixed(3), g.modelVersion]),
      ),
    );
    return 0;
  } finally {
    await store.close();
  }
}
