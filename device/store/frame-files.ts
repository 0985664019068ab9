/** Full frames on disk: <dataDir>/frames/YYYY-MM-DD/<id>.<ext>, written and fsynced before the row commits. */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';

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
