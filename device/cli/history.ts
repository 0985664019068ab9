/**
 * `loupe history [--day YYYY-MM-DD] [--id ID] [--limit N] [--json] [--data DIR]`: grades stored
 * on this device. Days are the store's local days (config history.timeZone, else the host's).
 */
import { loadConfig } from '../config/load.ts';
import { GradeStore } from '../store/grade-store.ts';
import { historyTimeZone, localDayOf } from '../store/local-day.ts';
import { parse, UsageError } from './args.ts';
import { formatTable } from './record-table.ts';

const USAGE = 'usage: loupe history [--day YYYY-MM-DD] [--id ID] [--limit N] [--json] [--data DIR]';

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    { day: { type: 'string' }, id: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' }, data: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    USAGE,
  );
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.day)) throw new UsageError(`--day: expected YYYY-MM-DD (the store's local day), got "${values.day}"`);
  const limit = values.limit === undefined ? 100 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new UsageError(`--limit: expected 1–1000, got "${values.limit}"`);

  const config = loadConfig({ dataDir: values.data });
  const timeZone = historyTimeZone(config.history.timeZone);
  const dayOf = (record: { createdAt: string }) => localDayOf(record.createdAt, timeZone);
  const store = new GradeStore(config.dataDir);
  store.open();
  try {
    if (values.id !== undefined) {
      const record = store.get(values.id);
      if (!record) {
        console.error(`loupe history: [GRADE_NOT_FOUND] no grade with id ${values.id}`);
        return 1;
      }
      console.log(values.json ? JSON.stringify(record, null, 2) : formatTable([{ label: dayOf(record), record }], 'DAY'));
      return 0;
    }
    const records = store.list({ day: values.day, timeZone, limit });
    if (values.json) console.log(JSON.stringify(records, null, 2));
    else if (records.length === 0) console.log(values.day ? `no grades on ${values.day} (${timeZone})` : 'no grades yet');
    else console.log(formatTable(records.map((record) => ({ label: dayOf(record), record })), 'DAY'));
    return 0;
  } finally {
    store.close();
  }
}
