/** A pool of render workers, one per core by default. */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { StoneLabels } from './render.ts';
import type { WorkerRequest } from './worker.ts';

export interface RenderResult {
  index: number;
  labels: StoneLabels;
  rgb?: Uint8Array;
  width?: number;
  height?: number;
}

export class RenderPool {
  private workers: Worker[] = [];
  private readonly size: number;

  constructor(size = availableParallelism()) {
    this.size = Math.max(1, size);
  }

  start(): void {
    for (let i = 0; i < this.size; i++) {
      this.workers.push(new Worker(new URL('./worker-entry.mjs', import.meta.url)));
    }
  }

  /** Renders every job; results arrive in completion order through onResult. */
  async run(jobs: WorkerRequest[], onResult: (result: RenderResult) => void): Promise<void> {
    if (this.workers.length === 0) this.start();
    let next = 0;
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const feed = (): void => {
              if (next >= jobs.length) {
                worker.off('message', onMessage);
                worker.off('error', reject);
                resolve();
                return;
              }
              worker.postMessage(jobs[next++]);
            };
            const onMessage = (message: RenderResult & { error?: string }): void => {
              if (message.error) {
                worker.off('message', onMessage);
                reject(new Error(`render of image ${message.index} failed: ${message.error}`));
                return;
              }
              onResult(message);
              feed();
            };
            worker.on('message', onMessage);
            worker.on('error', reject);
            feed();
          }),
      ),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers = [];
  }
}
