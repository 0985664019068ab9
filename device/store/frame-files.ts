/** Full frames on disk: <dataDir>/frames/YYYY-MM-DD/<id>.<ext>, written and fsynced before the row commits. */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
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

export function removeFile(file: string): void {
  rmSync(file, { force: true });
}
