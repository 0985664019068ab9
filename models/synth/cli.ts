/**
 * `loupe synth --count N --seed S --size PX --out DIR [--workers W] [--spp K] [--clarity G,G...]`
 * With --clarity, only the stones of those grades among the stream's first N are rendered; their
 * files keep their stream index, so they are the same bytes as those rows of the full set.
 */
import { parseArgs } from 'node:util';
import { writeDataset } from './dataset.ts';
import { CLARITY_GRADES, type ClarityGrade } from './grades.ts';
import { indicesWithClarity } from './job.ts';
import { progressBar } from './progress.ts';

function positiveInt(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw Object.assign(new Error(`--${name}: expected a positive integer, got "${value ?? ''}"`), { code: 'BAD_ARGUMENT' });
  return n;
}

function clarityGrades(value: string): ClarityGrade[] {
  const grades = value.split(',').map((g) => g.trim()).filter(Boolean);
  const unknown = grades.filter((g) => !(CLARITY_GRADES as readonly string[]).includes(g));
  if (grades.length === 0 || unknown.length > 0) {
    throw Object.assign(new Error(`--clarity: expected grades from ${CLARITY_GRADES.join(',')}, got "${value}"`), { code: 'BAD_ARGUMENT' });
  }
  return grades as ClarityGrade[];
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: 'string' },
      seed: { type: 'string', default: '1' },
      size: { type: 'string', default: '160' },
      out: { type: 'string' },
      workers: { type: 'string' },
      spp: { type: 'string', default: '1' },
      clarity: { type: 'string' },
    },
    strict: true,
  });
  if (!values.out) throw Object.assign(new Error('--out: a folder for the images and labels.csv is required'), { code: 'BAD_ARGUMENT' });
  const count = positiveInt('count', values.count);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw Object.assign(new Error(`--seed: expected a non-negative integer, got "${values.seed}"`), { code: 'BAD_ARGUMENT' });
  const indices = values.clarity === undefined ? undefined : indicesWithClarity(seed, count, clarityGrades(values.clarity));
  const result = await writeDataset({
    count,
    indices,
    seed,
    sizePx: positiveInt('size', values.size),
    outDir: values.out,
    workers: values.workers ? positiveInt('workers', values.workers) : undefined,
    samplesPerPixel: positiveInt('spp', values.spp),
    onProgress: progressBar(`synth seed ${seed}`),
  });
  console.log(`wrote ${result.rows} images and labels.csv to ${values.out} in ${result.seconds.toFixed(1)} s (${(result.rows / result.seconds).toFixed(1)} images/s)`);
  return 0;
}
