/**
 * Replays the images in a folder, in name order (numeric-aware: 2.jpg before 10.jpg), round
 * and round: one image is "on the tray" until nextStone(), so previews show the stone that
 * the next grade gets. For demos, and for feeding recorded frames through the whole path.
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import { CameraError } from './errors.ts';
import { frameFromBytes } from './frame.ts';
import type { Camera, Frame } from './types.ts';

export const REPLAY_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.tif', '.tiff']);

const byName = new Intl.Collator('en', { numeric: true }).compare;

export class FolderReplayCamera implements Camera {
  readonly kind = 'folder';
  private readonly folder: string;
  private files: string[] = [];
  private next = 0;

  constructor(folder: string) {
    this.folder = resolve(folder);
  }

  async start(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch (error) {
      throw new CameraError('CAMERA_FOLDER_MISSING', `Replay folder ${this.folder} cannot be read (${(error as NodeJS.ErrnoException).code}).`);
    }
    this.files = names.filter((n) => REPLAY_EXTENSIONS.has(extname(n).toLowerCase())).sort(byName);
    if (this.files.length === 0) {
      throw new CameraError('CAMERA_FOLDER_EMPTY', `Replay folder ${this.folder} holds no images (${[...REPLAY_EXTENSIONS].join(', ')}).`);
    }
    this.next = 0;
  }

  /** The files that will be replayed, in order. */
  get playlist(): readonly string[] {
    return this.files;
  }

  /** Puts the next image of the playlist on the tray (round and round). */
  async nextStone(): Promise<void> {
    if (this.files.length === 0) throw new CameraError('CAMERA_NOT_STARTED', 'The replay camera has not been started.');
    this.next = (this.next + 1) % this.files.length;
  }

  /**
   * The current image's bytes as stored. Width and height are 0 when the header is unreadable:
   * decoding then refuses the frame with its own code, which is the point of replaying it.
   */
  async capture(): Promise<Frame> {
    if (this.files.length === 0) throw new CameraError('CAMERA_NOT_STARTED', 'The replay camera has not been started.');
    const name = this.files[this.next];
    const path = join(this.folder, name);
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch (error) {
      // A file that vanished is no longer on the tray: the next capture gets the next one.
      this.next = (this.next + 1) % this.files.length;
      throw new CameraError('CAMERA_UNAVAILABLE', `Replay image ${path} cannot be read (${(error as NodeJS.ErrnoException).code}).`);
    }
    return frameFromBytes(data, `folder:${path}`);
  }

  async stop(): Promise<void> {
    this.files = [];
    this.next = 0;
  }
}
