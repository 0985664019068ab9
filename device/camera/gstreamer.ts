/**
 * A Jetson CSI camera through GStreamer:
 *   nvarguscamerasrc sensor-id=N num-buffers=K ! video/x-raw(memory:NVMM),… ! nvvidconv
 *   ! video/x-raw,format=I420 ! jpegenc ! multifilesink location=<tmp>/frame.jpg
 * The first K−1 buffers let Argus settle exposure and white balance; multifilesink without a
 * %d in its location overwrites one file, so the last (settled) frame is what remains.
 * A custom pipeline (anything producing image/jpeg) may replace the source part.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CameraError } from './errors.ts';
import { frameFromBytes } from './frame.ts';
import { lastMeaningfulLine, runProgram } from './process.ts';
import { SerialQueue } from './serial.ts';
import type { Camera, Frame } from './types.ts';

export interface GstreamerOptions {
  /** CSI sensor index for nvarguscamerasrc, used unless `pipeline` is set. */
  sensorId: number;
  /** A gst-launch pipeline that ends producing image/jpeg; the sink is appended. */
  pipeline?: string;
  width: number;
  height: number;
  framerate: number;
  /** Buffers captured in all; only the last is kept. */
  buffers: number;
  jpegQuality: number;
  timeoutMs: number;
  program: string;
}

export const DEFAULT_GSTREAMER: GstreamerOptions = {
  sensorId: 0,
  width: 1920,
  height: 1080,
  framerate: 30,
  buffers: 10,
  jpegQuality: 92,
  timeoutMs: 10_000,
  program: 'gst-launch-1.0',
};

/** The pipeline as gst-launch argv tokens (execFile, no shell: nothing is re-parsed). */
export function gstreamerArgs(o: GstreamerOptions, outputPath: string): string[] {
  const source = o.pipeline
    ? o.pipeline.trim().split(/\s+/)
    : [
        'nvarguscamerasrc', `sensor-id=${o.sensorId}`, `num-buffers=${o.buffers}`,
        '!', `video/x-raw(memory:NVMM),width=${o.width},height=${o.height},framerate=${o.framerate}/1`,
        '!', 'nvvidconv',
        '!', 'video/x-raw,format=I420',
        '!', 'jpegenc', `quality=${o.jpegQuality}`,
      ];
  return ['-q', '-e', ...source, '!', 'multifilesink', `location=${outputPath}`];
}

export class GstreamerCamera implements Camera {
  readonly kind = 'gst';
  private readonly options: GstreamerOptions;
  private started = false;
  private readonly queue = new SerialQueue();

  constructor(options: Partial<GstreamerOptions> = {}) {
    this.options = { ...DEFAULT_GSTREAMER, ...options };
  }

  /** Checks gst-launch-1.0 runs; opening the sensor is left to capture(). */
  async start(): Promise<void> {
    await runProgram(this.options.program, ['--version'], { timeoutMs: 5000 });
    this.started = true;
  }

  async capture(): Promise<Frame> {
    if (!this.started) throw new CameraError('CAMERA_NOT_STARTED', 'The camera has not been started.');
    return this.queue.run(() => this.grab());
  }

  private async grab(): Promise<Frame> {
    const dir = await mkdtemp(join(tmpdir(), 'loupe-gst-'));
    const path = join(dir, 'frame.jpg');
    const at = new Date();
    try {
      const { stderr } = await runProgram(this.options.program, gstreamerArgs(this.options, path), { timeoutMs: this.options.timeoutMs });
      let data: Buffer;
      try {
        data = await readFile(path);
      } catch {
        data = Buffer.alloc(0);
      }
      if (data.length === 0) throw new CameraError('CAMERA_UNAVAILABLE', `No frame from the CSI camera: ${lastMeaningfulLine(stderr) || 'the pipeline wrote nothing'}`);
      return await frameFromBytes(data, this.options.pipeline ? 'gst:pipeline' : `gst:sensor-${this.options.sensorId}`, at);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async stop(): Promise<void> {
    this.started = false;
  }
}
