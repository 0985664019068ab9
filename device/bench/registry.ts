/**
 * Every benchmark `loupe bench` knows, loaded lazily. Add a line for yours:
 * `{ name, summary, load: () => import('…').then((m) => m.bench) }` where `bench` is a BenchModule.
 */
import type { BenchModule } from './types.ts';

export interface BenchEntry {
  name: string;
  summary: string;
  load: () => Promise<BenchModule>;
}

export const benches: BenchEntry[] = [
  { name: 'grade', summary: '1920×1080 JPEG end to end, per stage; onnxruntime-node vs -web', load: () => import('./grade-path.ts').then((m) => m.bench) },
  { name: 'sync-drain', summary: 'drain a 100,000-grade outbox to HQ over loopback Mosquitto, batched vs one message per grade', load: () => import('../../cloud-sync/bench/module.ts').then((m) => m.bench) },
  { name: 'daemon', summary: 'loupe serve: start to first grade, RSS with the model loaded', load: () => import('./daemon.ts').then((m) => m.bench) },
  { name: 'synth', summary: 'renderer: images/s per core at 160 px, pool throughput, cost vs size and samples per pixel', load: () => import('../../models/synth/bench.ts').then((m) => m.bench) },
  { name: 'vision', summary: 'decode at full and working size, girdle locate error over renders, gate decisions on good vs bad frames', load: () => import('../vision/bench-module.ts').then((m) => m.bench) },
];
