/** Worker thread: renders jobs it is sent; writes the PNG when given a folder. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { encodePng } from './index.ts';
import { type RenderJob, imageFileName, renderJob } from './job.ts';

export interface WorkerRequest extends RenderJob {
  outDir?: string;
}

parentPort?.on('message', async (request: WorkerRequest) => {
  try {
    const stone = renderJob(request);
    if (request.outDir) {
      await writeFile(join(request.outDir, imageFileName(request.index)), await encodePng(stone));
      parentPort?.postMessage({ index: request.index, labels: stone.labels });
    } else {
      const rgb = stone.rgb;
      parentPort?.postMessage({ index: request.index, labels: stone.labels, rgb, width: stone.width, height: stone.height }, [rgb.buffer as ArrayBuffer]);
    }
  } catch (error) {
    parentPort?.postMessage({ index: request.index, error: (error as Error).stack ?? String(error) });
  }
});
