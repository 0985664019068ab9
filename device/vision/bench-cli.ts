/** loupe bench vision [--renders N] [--stones N] [--json]: the vision path's measurements. */
import { parseArgs } from 'node:util';
import { benchDecode, benchGate, benchLocate } from './bench.ts';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { renders: { type: 'string', default: '200' }, stones: { type: 'string', default: '10' }, json: { type: 'boolean', default: false } }, strict: true });
  const decode = await benchDecode();
  const locate = benchLocate(Number(values.renders));
  const gate = await benchGate(Number(values.stones));
  if (values.json) {
    console.log(JSON.stringify({ decode, locate, gate }, null, 2));
    return 0;
  }
  console.log('1920×1080 JPEG from the synthetic camera (median of %d, side by side):', decode.iterations);
  console.log('  decode at full size              %s ms', decode.fullMs.toFixed(1));
  console.log('  decode with shrink-on-load 1/2   %s ms  (full / shrunk = %s)', decode.shrinkOnLoadMs.toFixed(1), decode.decodeRatio.toFixed(2));
  console.log('  decode + gate at full size       %s ms', decode.fullWithGateMs.toFixed(1));
  console.log('  decode + gate, shrunk on load    %s ms  (full / shrunk = %s)', decode.shrinkOnLoadWithGateMs.toFixed(1), decode.withGateRatio.toFixed(2));
  console.log('locate over %d renders at %d px (not found: %d):', locate.renders, locate.sizePx, locate.notFound);
  console.log('  centre error   median %s %%, p95 %s %%, max %s %% of diameter', locate.centreErrorPct.median.toFixed(2), locate.centreErrorPct.p95.toFixed(2), locate.centreErrorPct.max.toFixed(2));
  console.log('  diameter error mean %s %%, p95 |%s| %%, max |%s| %%', locate.diameterErrorPct.mean.toFixed(2), locate.diameterErrorPct.p95Abs.toFixed(2), locate.diameterErrorPct.maxAbs.toFixed(2));
  console.log('  %s ms per locate', locate.locateMs.toFixed(1));
  console.log('gate decisions over %d stones at device scale (agreement %s %%):', gate.stones, (gate.agreement * 100).toFixed(1));
  for (const [expected, got] of Object.entries(gate.decisions)) {
    console.log('  %s → %s', expected.padEnd(38), Object.entries(got).map(([k, v]) => `${k} ×${v}`).join(', '));
  }
  return 0;
}
