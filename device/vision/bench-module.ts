/** The vision measurements as `loupe bench vision` runs them (device/bench/registry.ts). */
import type { BenchModule, BenchReport } from '../bench/types.ts';
import { benchDecode, benchGate, benchLocate } from './bench.ts';

const r2 = (v: number): number => Math.round(v * 100) / 100;

export const bench: BenchModule = {
  name: 'vision',
  summary: 'decode 1920×1080 at full and working size, girdle locate error over renders, gate decisions on good vs bad frames',
  async run({ quick, progress }): Promise<BenchReport> {
    progress('vision: decode, side by side');
    const decode = await benchDecode(quick ? 8 : 30);
    progress(`vision: locate over ${quick ? 40 : 200} renders`);
    const locate = benchLocate(quick ? 40 : 200);
    progress(`vision: gate over ${quick ? 2 : 10} stones × 14 kinds of frame`);
    const gate = await benchGate(quick ? 2 : 10);
    return {
      name: 'vision',
      metrics: [
        { name: 'decode 1920×1080, full size', value: r2(decode.fullMs), unit: 'ms' },
        { name: 'decode 1920×1080 to the 960×540 working size', value: r2(decode.shrinkOnLoadMs), unit: 'ms' },
        { name: 'decode: full ÷ working size', value: r2(decode.decodeRatio), unit: '×' },
        { name: 'decode + gate: full ÷ working size', value: r2(decode.withGateRatio), unit: '×' },
        { name: 'locate centre error p95', value: r2(locate.centreErrorPct.p95), unit: '% of diameter', goal: { op: '<=', value: 2 } },
        { name: 'locate diameter error p95', value: r2(locate.diameterErrorPct.p95Abs), unit: '% of diameter', goal: { op: '<=', value: 2 } },
        { name: 'locate diameter error max', value: r2(locate.diameterErrorPct.maxAbs), unit: '% of diameter' },
        { name: 'gate decisions as expected', value: r2(gate.agreement * 100), unit: '%', goal: { op: '>=', value: 99 } },
      ],
      notes: [
        `Decode + gate at 1920×1080 took ${decode.fullWithGateMs.toFixed(1)} ms against ${decode.shrinkOnLoadWithGateMs.toFixed(1)} ms at the 960×540 working size. The decode alone is not faster at 960×540: sharp shrinks a JPEG in its DCT only to half the factor asked for, so 1/2 is a full decode plus a 2× reduce. The gate is faster (¼ of the pixels).`,
        `Locate over ${locate.renders} renders at ${locate.sizePx} px: centre median ${locate.centreErrorPct.median.toFixed(2)} %, diameter mean ${locate.diameterErrorPct.mean.toFixed(2)} %, not found ${locate.notFound}; ${locate.locateMs.toFixed(1)} ms each.`,
      ],
      table: {
        columns: ['frame (expected)', 'decisions'],
        rows: Object.entries(gate.decisions).map(([expected, got]) => [expected, Object.entries(got).map(([k, v]) => `${k} ×${v}`).join(', ')]),
      },
    };
  },
};
