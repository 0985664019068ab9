/** `loupe serve [--data DIR] [--port P] [--camera SPEC] [--broker URL|offline] [--model DIR]`: the device daemon. */
import { loadConfig } from '../config/load.ts';
import { LoupeApp } from '../daemon/app.ts';
import { parse, portArg } from './args.ts';

const USAGE = 'usage: loupe serve [--data DIR] [--port P] [--camera SPEC] [--broker URL|offline] [--model RELEASE_DIR]';
const STOP_DEADLINE_MS = 15_000;

export async function run(argv: string[]): Promise<number> {
  const { values } = parse(
    argv,
    { data: { type: 'string' }, port: { type: 'string' }, camera: { type: 'string' }, broker: { type: 'string' }, model: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    USAGE,
  );
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const config = loadConfig({
    dataDir: values.data,
    port: portArg(values.port),
    cameraSpec: values.camera,
    releaseDir: values.model,
    brokerUrl: values.broker === undefined ? undefined : values.broker === 'offline' ? null : values.broker,
  });
  const app = new LoupeApp({ config });
  const stopped = new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      console.log(`loupe serve: ${signal}, stopping`);
      const deadline = setTimeout(() => {
        console.error(`loupe serve: did not stop within ${STOP_DEADLINE_MS} ms; exiting anyway`);
        process.exit(1);
      }, STOP_DEADLINE_MS);
      deadline.unref();
      void app.stop().then(() => resolve(0));
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  try {
    const url = await app.start();
    console.log(`loupe serve: kiosk at ${url}/  (data ${config.dataDir}, camera ${app.health().camera.kind}, sync ${config.sync.brokerUrl ?? 'offline'})`);
  } catch (error) {
    await app.stop();
    throw error;
  }
  return stopped;
}
