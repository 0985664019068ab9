/** `loupe model eval --release DIR --count N --seed S [--outline labels|device] [--workers W] [--json]` */
import { parseArgs } from 'node:util';
import { bundledReleaseDir } from '../../device/inference/release.ts';
import { evaluateRelease, HEADS, type EvaluationReport, type OutlineSource } from './evaluate-release.ts';

function positiveInt(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw Object.assign(new Error(`--${name}: expected a positive integer, got "${value ?? ''}"`), { code: 'BAD_ARGUMENT' });
  return n;
}

const pct = (v: number | null): string => (v === null ? '—' : `${(100 * v).toFixed(1)} %`);

export function formatReport(report: EvaluationReport): string {
  const lines = [
    `${report.release} on ${report.count} fresh ${report.renderSizePx} px renders (seed ${report.seed}, outline from ${report.outline}${report.notLocated ? `, ${report.notLocated} not located` : ''})`,
    '',
    `${'head'.padEnd(8)} ${'exact'.padStart(8)} ${'within 1'.padStart(9)} ${'referred'.padStart(9)} ${'exact if graded'.padStart(16)}`,
  ];
  for (const head of HEADS) {
    const s = report.heads[head];
    lines.push(`${head.padEnd(8)} ${pct(s.exact).padStart(8)} ${pct(s.withinOne).padStart(9)} ${pct(s.referred).padStart(9)} ${pct(s.exactWhenGraded).padStart(16)}`);
  }
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      release: { type: 'string' },
      count: { type: 'string', default: '300' },
      seed: { type: 'string', default: '90210' },
      outline: { type: 'string', default: 'labels' },
      workers: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const outline = values.outline as OutlineSource;
  if (outline !== 'labels' && outline !== 'device') throw Object.assign(new Error(`--outline: expected labels or device, got "${values.outline}"`), { code: 'BAD_ARGUMENT' });
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw Object.assign(new Error(`--seed: expected a non-negative integer, got "${values.seed}"`), { code: 'BAD_ARGUMENT' });
  const report = await evaluateRelease({
    releaseDir: values.release ?? bundledReleaseDir(),
    count: positiveInt('count', values.count),
    seed,
    outline,
    workers: values.workers ? positiveInt('workers', values.workers) : undefined,
    onProgress: values.json || !process.stderr.isTTY ? undefined : (done, total) => process.stderr.write(`\rrendering ${done}/${total}${done === total ? '\n' : ''}`),
  });
  process.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
  return 0;
}
