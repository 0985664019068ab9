/** The benchmark's input: a 1920×1080 JPEG of a rendered stone from the synthetic camera. */
import { SyntheticCamera } from '../camera/synthetic.ts';

export const BENCH_WIDTH = 1920;
export const BENCH_HEIGHT = 1080;
/** The tray's 32 mm across the 1920 px sensor: the stone keeps its device size in pixels. */
export const BENCH_MM_PER_PX = 32 / BENCH_WIDTH;

export async function benchFrame(seed = 11): Promise<Buffer> {
  const camera = new SyntheticCamera({ seed, width: BENCH_WIDTH, height: BENCH_HEIGHT, mmPerPx: BENCH_MM_PER_PX, format: 'jpeg', jpegQuality: 90 });
  await camera.start();
  try {
    return (await camera.capture()).data;
  } finally {
    await camera.stop();
  }
}
