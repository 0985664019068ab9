/** Full frames on disk: <dataDir>/frames/YYYY-MM-DD/<id>.<ext>, written and fsynced before the row commits. */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';

export type FrameExt = 'jpg' | 'png' | 'webp' | 'tiff';

/** The file extension an encoded frame's magic bytes call for; undefined when they match none. */
export function sniffFrameExt(bytes: Uint8Array): FrameExt | undefined {
  const at = (offset: number, ...values: number[]) => values.every((v, i) => bytes[offset + i] === v);
  if (at(0, 0xff, 0xd8, 0xff)) return 'jpg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'webp';
  if (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
  return undefined;
}

export function frameRelativePath(id: string, createdAt: string, ext: string): string {
  return join('frames', createdAt.slice(0, 10), `${id}.${ext}`);
}

/** Writes via a temp file + rename, fsyncing the file and its folder, so a crash leaves no half frame. */
export function writeFileDurably(file: string, bytes: Uint8Array): void {
  const dir = join(file, '..');
  mkdirSync(dir, { recursive: true });
  const temp = `${file}.tmp-${process.pid}`;
  const fd = openSync(temp, 'w', 0o640);
  try {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

/** The same, on the libuv thread pool. */
export async function writeFileDurablyAsync(file: string, bytes: Uint8Array): Promise<void> {
  const dir = join(file, '..');
  await mkdir(dir, { recursive: true });
  const temp = `${file}.tmp-${process.pid}`;
  const handle = await open(temp, 'w', 0o640);
  try {
    await handle.writeFile(bytes);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(temp, file);
  const dirHandle = await open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}

export function removeFile(file: string): void {
  rmSync(file, { force: true });
}
