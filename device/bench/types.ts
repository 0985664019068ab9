/** A benchmark any area can register (device/bench/registry.ts): run() measures and reports. */
export interface BenchMetric {
  name: string;
  value: number;
  unit: string;
  /** e.g. { op: '<=', value: 25 }: the goal on the reference machine. */
  goal?: { op: '<=' | '>='; value: number };
}

export interface BenchReport {
  name: string;
  metrics: BenchMetric[];
  /** Plain-language findings: which stage dominates, ratios, floors. */
  notes: string[];
  /** Optional rows for a table (e.g. per-stage breakdown). */
  table?: { columns: string[]; rows: Array<Array<string | number>> };
}

export interface BenchOptions {
  /** Fewer iterations, for a smoke run. */
  quick: boolean;
  /** Progress lines (stderr). */
  progress: (line: string) => void;
}

export interface BenchModule {
  name: string;
  summary: string;
  run(options: BenchOptions): Promise<BenchReport>;
}

export function metricPasses(metric: BenchMetric): boolean | undefined {
  if (!metric.goal) return undefined;
  return metric.goal.op === '<=' ? metric.value <= metric.goal.value : metric.value >= metric.goal.value;
}
