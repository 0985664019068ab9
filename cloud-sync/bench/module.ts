/** The drain benchmark as `loupe bench sync-drain` runs it (device/bench/registry.ts). */
import type { BenchModule, BenchReport } from '../../device/bench/types.ts';
import { runDrainBench } from './drain.ts';

export const bench: BenchModule = {
  name: 'sync-drain',
  summary: 'drain a 100,000-grade outbox to HQ over loopback Mosquitto: batched vs one message per grade',
  async run({ quick, progress }): Promise<BenchReport> {
    const result = await runDrainBench({ grades: quick ? 5_000 : 100_000, singleGrades: quick ? 1_000 : 3_000, log: progress });
    const { batched, single } = result;
    return {
      name: 'sync-drain',
      metrics: [
        { name: 'batched drain', value: batched.gradesPerS, unit: 'grades/s', goal: { op: '>=', value: result.goalGradesPerS } },
        { name: 'one message per grade', value: single.gradesPerS, unit: 'grades/s' },
        { name: 'batched ÷ one-per-grade', value: result.ratio, unit: '×' },
        { name: 'device CPU per grade (batched)', value: batched.deviceCpuUsPerGrade, unit: 'µs' },
        { name: 'HQ CPU per grade (batched)', value: batched.hqCpuUsPerGrade ?? -1, unit: 'µs' },
      ],
      notes: [
        `${batched.grades} grades drained in ${batched.drainS.toFixed(1)} s (batches of 500, window 8); HQ holds all ${batched.atHq}.`,
        `One message per grade: ${single.grades} grades in ${single.drainS.toFixed(1)} s, device CPU ${single.deviceCpuUsPerGrade} µs and HQ CPU ${single.hqCpuUsPerGrade ?? '?'} µs per grade: a commit, an fsync and an ack per grade.`,
        `Bound: ${result.boundSummary}`,
        'Device, HQ and Mosquitto each run in their own process; on a shared 2-core box they compete for the CPUs (and with whatever else runs), so the rate moves with the load; CPU µs per grade moves far less.',
      ],
      table: { columns: ['stage', 'µs per grade', 'what'], rows: result.stages.map((s) => [s.stage, s.usPerGrade, s.what]) },
    };
  },
};
