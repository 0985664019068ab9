/**
 * A USB/V4L2 camera through fswebcam. fswebcam exits 0 even when it captured nothing, so a
 * failure is recognised by empty output and reported with the error line from its stderr.
 * The same code captures from fswebcam's `FILE:<image>` and `TEST:` sources (used in tests).
 */
import { CameraError } from './errors.ts';
import { frameFromBytes } from './frame.ts';
import { lastMeaningfulLine, runProgram, stripAnsi } from './process.ts';
import { SerialQueue } from './serial.ts';
import type { Camera, Frame } from './types.ts';

export interface V4l2Options {
  /** "/dev/video0", or fswebcam's "FILE:/path.jpg" / "TEST:" sources. */
  device: string;
  width: number;
  height: number;
  /** Frames discarded first so auto-exposure settles. */
  skipFrames: number;
  jpegQuality: number;
  timeoutMs: number;
  program: string;
  /** Further fswebcam options, e.g. ["--set", "brightness=50%"], put before the output name. */
  extraArgs: string[];
}

export const DEFAULT_V4L2: Omit<V4l2Options, 'device'> = {
  width: 1280,
  height: 720,
  skipFrames: 5,
  jpegQuality: 92,
  timeoutMs: 8000,
  program: 'fswebcam',
  extraArgs: [],
};

/** fswebcam argv: JPEG on stdout, no banner. */
export function fswebcamArgs(o: V4l2Options): string[] {
  return ['--device', o.device, '--resolution', `${o.width}x${o.height}`, '--skip', String(o.skipFrames), '--no-banner', '--jpeg', String(o.jpegQuality), ...o.extraArgs, '-'];
}

/** fswebcam prints errors in red (ESC[31m); the first one names the real cause. */
export function fswebcamError(stderr: string): string {
  const red = stderr
    .split('\x1b[31m')
    .slice(1)
    .map((chunk) => stripAnsi(chunk).split('\n')[0].trim())
    .filter(Boolean);
  return red.length > 0 ? red.join('; ') : lastMeaningfulLine(stderr) || 'no image and no error message';
}

export class V4l2Camera implements Camera {
  readonly kind = 'v4l2';
  private readonly options: V4l2Options;
  private started = false;
  private readonly queue = new SerialQueue();

  constructor(options: Partial<V4l2Options> & { device: string }) {
    this.options = { ...DEFAULT_V4L2, ...options };
  }

  /** Grabs one frame, so a missing or busy camera is reported at start, with fswebcam's reason. */
  async start(): Promise<void> {
    await this.queue.run(() => this.grab());
    this.started = true;
  }

  async capture(): Promise<Frame> {
    if (!this.started) throw new CameraError('CAMERA_NOT_STARTED', 'The camera has not been started.');
    return this.queue.run(() => this.grab());
  }

  private async grab(): Promise<Frame> {
    // Captured-at is when the request went out, not when fswebcam finished encoding.
    const at = new Date();
    const { stdout, stderr } = await runProgram(this.options.program, fswebcamArgs(this.options), { timeoutMs: this.options.timeoutMs });
    if (stdout.length === 0) {
      throw new CameraError('CAMERA_UNAVAILABLE', `No frame from ${this.options.device}: ${fswebcamError(stderr)}. Check the camera's USB cable, or choose another camera.`);
    }
    const frame = await frameFromBytes(stdout, `v4l2:${this.options.device}`, at);
    if (frame.width === 0) throw new CameraError('CAMERA_UNAVAILABLE', `${this.options.device} returned ${stdout.length} bytes that are not an image.`);
    return frame;
  }

  async stop(): Promise<void> {
    this.started = false;
  }
}
