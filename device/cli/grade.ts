/** `loupe grade FILE... [--json] [--data DIR] [--model DIR]`: grade image files, store every grade. */
import { readFile } from 'node:fs/promises';
import { loadConfig } from '../config/load.ts';
import { GradingCore } from '../daemon/grading-core.ts';
import { parse } from './args.ts';
import { formatTable, type TableRow } from './record-table.ts';

const USAGE = 'usage: loupe grade FILE... [--json] [--data DIR] [--model RELEASE_DIR]';

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { json: { type: 'boolean' }, data: { type: 'string' }, model: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, USAGE, true);
  if (values.help || positionals.length === 0) {
    (values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }
  const config = loadConfig({ dataDir: values.data, releaseDir: values.model });
  const core = new GradingCore(config);
  await core.start();
  const rows: TableRow[] = [];
  try {
    for (const file of positionals) {
      let data: Buffer;
      try {
        data = await readFile(file);
      } catch (error) {
        rows.push({ label: file, error: { code: 'FILE_UNREADABLE', message: `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` } });
        continue;
      }
      const outcome = await core.grade({ data });
      rows.push(outcome.ok ? { label: file, record: outcome.record } : { label: file, error: outcome.error });
    }
  } finally {
    await core.stop();
  }
  if (values.json) {
    console.log(JSON.stringify(rows.map((r) => (r.record ? { file: r.label, ok: true, record: r.record } : { file: r.label, ok: false, error: r.error })), null, 2));
  } else {
    console.log(formatTable(rows));
  }
  return rows.some((r) => r.error) ? 1 : 0;
}
