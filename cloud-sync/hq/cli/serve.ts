/** `loupe hq serve [--broker URL] [--data DIR] [--db sqlite:PATH|postgres://…] [--worker-id ID]` */
import { createJsonLogger } from '../../log.ts';
import { HqService } from '../service.ts';
import { parseHqArgs } from './args.ts';

export async function run(argv: string[]): Promise<number> {
  const { config } = parseHqArgs(argv);
  const logger = createJsonLogger('hq');
  const service = new HqService(config, logger);
  await service.start();
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info('hq.stopping', { signal });
      resolve();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  await service.stop();
  return 0;
}
