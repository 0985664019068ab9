/**
 * loupe calibrate --image FILE --disk-mm 10 [--data DIR]
 * Measures mm per pixel from a capture of a reference disk on the tray and stores it.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CalibrationStore } from '../calibration/store.ts';
import { measureDisk } from '../calibration/measure.ts';
import { defaultDataDir } from '../config/load.ts';
import { decodeImage } from '../vision/decode.ts';
import { VisionError } from '../vision/errors.ts';

const USAGE = 'usage: loupe calibrate --image FILE --disk-mm MM [--data DIR]';

export async function run(argv: string[]): Promise<number> {
  let values: { image?: string; 'disk-mm'?: string; data?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { image: { type: 'string' }, 'disk-mm': { type: 'string' }, data: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const diskMm = Number(values['disk-mm']);
  if (!values.image || !values['disk-mm'] || !(diskMm > 0)) {
    console.error(`--image and a positive --disk-mm are required\n${USAGE}`);
    return 2;
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(values.image);
  } catch (error) {
    console.error(`[IMAGE_UNREADABLE] ${values.image}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    return 1;
  }
  try {
    const image = await decodeImage(bytes);
    const m = measureDisk(image, diskMm);
    const store = new CalibrationStore(values.data ?? defaultDataDir());
    const saved = await store.save({ mmPerPx: m.mmPerPx, measuredAt: new Date().toISOString(), diskMm, diskPx: m.diskPx });
    console.log(`disk: ${m.diskPx.toFixed(1)} px across at (${m.centreX.toFixed(1)}, ${m.centreY.toFixed(1)})`);
    console.log(`scale: ${saved.mmPerPx.toFixed(6)} mm/px (${(1 / saved.mmPerPx).toFixed(2)} px/mm)`);
    console.log(`saved: ${store.path}`);
    return 0;
  } catch (error) {
    if (error instanceof VisionError) {
      console.error(`[${error.code}] ${error.message}`);
      return 1;
    }
    throw error;
  }
}
