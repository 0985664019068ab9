/**
 * Keeps the camera usable for the daemon: starts it (retrying while it is missing, so the
 * daemon runs without one), serialises captures with a timeout, and serves the preview.
 */
import sharp from 'sharp';
import type { Camera, Frame } from '../camera/types.ts';
import { withTimeout } from '../inference/timeout.ts';
import type { Log } from './log.ts';

export class CameraNotReadyError extends Error {
  override readonly name = 'CameraNotReadyError';
  readonly code = 'CAMERA_NOT_READY';
}

export interface CameraSupervisorOptions {
  captureTimeoutMs: number;
  retryMs?: number;
  /** A preview frame younger than this is reused rather than captured again. */
  previewMaxAgeMs?: number;
  log: Log;
}

export class CameraSupervisor {
  private started = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private latest: { frame: Frame; at: number } | undefined;
  private lastError: string | undefined;

  constructor(
    readonly camera: Camera,
    private readonly options: CameraSupervisorOptions,
  ) {}

  get ready(): boolean {
    return this.started && !this.stopped;
  }

  get kind(): string {
    return this.camera.kind;
  }

  get error(): string | undefined {
    return this.lastError;
  }

  /** Resolves once the first attempt is over, whether or not the camera came up. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.tryStart();
  }

  private async tryStart(): Promise<void> {
    if (this.stopped || this.started) return;
    try {
      await withTimeout(this.camera.start(), this.options.captureTimeoutMs * 2, () => new Error('camera start timed out'));
      this.started = true;
      this.lastError = undefined;
      this.options.log('camera.ready', { kind: this.camera.kind });
    } catch (error) {
      const message = (error as Error).message;
      if (message !== this.lastError) this.options.log('camera.unavailable', { kind: this.camera.kind, code: (error as { code?: string }).code, message });
      this.lastError = message;
      this.retryTimer = setTimeout(() => void this.tryStart(), this.options.retryMs ?? 5000);
      this.retryTimer.unref();
    }
  }

  /** One frame, one capture at a time; rejects with CAMERA_NOT_READY / CAMERA_TIMEOUT / the camera's own code. */
  capture(): Promise<Frame> {
    if (!this.ready) return Promise.reject(new CameraNotReadyError(`the camera (${this.camera.kind}) is not ready${this.lastError ? `: ${this.lastError}` : ''}`));
    const ms = this.options.captureTimeoutMs;
    const next = this.queue.then(async () => {
      const frame = await withTimeout(this.camera.capture(), ms, () => Object.assign(new Error(`the camera gave no frame within ${ms} ms`), { code: 'CAMERA_TIMEOUT' }));
      this.latest = { frame, at: Date.now() };
      return frame;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /**
   * After a grade: a replay source puts its next stone on the tray (queued with the captures,
   * so none sees a half-placed stone). A no-op for a real camera.
   */
  nextStone(): Promise<void> {
    const camera = this.camera;
    if (!camera.nextStone) return Promise.resolve();
    const ms = this.options.captureTimeoutMs;
    const next = this.queue.then(async () => {
      if (!this.ready) return;
      await withTimeout(camera.nextStone!(), ms, () => Object.assign(new Error(`the camera did not place the next stone within ${ms} ms`), { code: 'CAMERA_TIMEOUT' }));
      this.latest = undefined;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The latest frame as JPEG, capturing a new one when the last is older than previewMaxAgeMs. */
  async previewJpeg(): Promise<Buffer> {
    const maxAge = this.options.previewMaxAgeMs ?? 250;
    const frame = this.latest && Date.now() - this.latest.at < maxAge ? this.latest.frame : await this.capture();
    if (frame.data[0] === 0xff && frame.data[1] === 0xd8) return frame.data;
    try {
      return await sharp(frame.data).jpeg({ quality: 80 }).toBuffer();
    } catch (error) {
      throw Object.assign(new Error(`the latest frame (${frame.source}) cannot be shown: ${(error as Error).message}`), { code: 'PREVIEW_UNAVAILABLE' });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.queue;
    if (this.started) {
      this.started = false;
      await withTimeout(this.camera.stop(), 5000, () => new Error('camera stop timed out')).catch((error) =>
        this.options.log('camera.stop-failed', { message: (error as Error).message }),
      );
    }
  }
}
