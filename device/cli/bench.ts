/** `loupe bench [name...] [--quick] [--json] [--out FILE]`: run the registered benchmarks, report side by side. */
import { writeFileSync } from 'node:fs';
import { benches } from '../bench/registry.ts';
import { metricPasses, type BenchReport } from '../bench/types.ts';
import { parse, UsageError } from './args.ts';

const USAGE = `usage: loupe bench [NAME...] [--quick] [--json] [--out FILE]\n  benches: ${benches.map((b) => b.name).join(', ')}`;

function formatReport(report: BenchReport): string {
  const lines = [`== ${report.name}`];
  const width = Math.max(...report.metrics.map((m) => m.name.length));
  for (const m of report.metrics) {
    const pass = metricPasses(m);
    const goal = m.goal ? `  goal ${m.goal.op} ${m.goal.value} ${m.unit}  ${pass ? 'PASS' : 'MISS'}` : '';
    lines.push(`  ${m.name.padEnd(width)}  ${String(m.value).padStart(9)} ${m.unit}${goal}`);
  }
  if (report.table) {
    const cols = report.table.columns;
    const widths = cols.map((c, i) => Math.max(c.length, ...report.table!.rows.map((r) => String(r[i]).length)));
    lines.push('', `  ${cols.map((c, i) => c.padEnd(widths[i])).join('  ')}`);
    for (const row of report.table.rows) lines.push(`  ${row.map((v, i) => String(v).padEnd(widths[i])).join('  ')}`);
  }
  if (report.notes.length > 0) lines.push('', ...report.notes.map((n) => `  - ${n}`));
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { quick: { type: 'boolean' }, json: { type: 'boolean' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, USAGE, true);
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const unknown = positionals.filter((name) => !benches.some((b) => b.name === name));
  if (unknown.length > 0) throw new UsageError(`unknown bench ${unknown.map((n) => `"${n}"`).join(', ')}\n${USAGE}`);
  const selected = positionals.length > 0 ? benches.filter((b) => (positionals as string[]).includes(b.name)) : benches;
  const reports: BenchReport[] = [];
  const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);
  for (const entry of selected) {
    progress(`${entry.name}: ${entry.summary}`);
    const module = await entry.load();
    const report = await module.run({ quick: values.quick ?? false, progress });
    reports.push(report);
    if (!values.json) console.log(`${formatReport(report)}\n`);
  }
  const result = { machine: { cpus: (await import('node:os')).cpus().length, node: process.version, at: new Date().toISOString() }, reports };
  if (values.json) console.log(JSON.stringify(result, null, 2));
  if (values.out) writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
  return 0;
}
