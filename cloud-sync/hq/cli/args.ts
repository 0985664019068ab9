/** Flags shared by the `loupe hq …` commands. */
import { parseArgs } from 'node:util';
import { SyncError } from '../../protocol/errors.ts';
import { loadHqConfig, type HqConfig } from '../config.ts';

export interface HqCliArgs {
  config: HqConfig;
  values: Record<string, string | boolean | string[] | undefined>;
}

export function parseHqArgs(argv: string[], extra: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }> = {}): HqCliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { broker: { type: 'string' }, data: { type: 'string' }, db: { type: 'string' }, 'worker-id': { type: 'string' }, ...extra },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new SyncError('CONFIG_INVALID', (error as Error).message);
  }
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const config = loadHqConfig({
    dataDir: v.data as string | undefined,
    brokerUrl: v.broker as string | undefined,
    db: v.db as string | undefined,
    workerId: v['worker-id'] as string | undefined,
  });
  return { config, values: v };
}
