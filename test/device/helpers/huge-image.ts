/** The 20000×20000 PNG from the vision fixtures, made once per machine (it takes seconds) and reused. */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeHugeImage } from '../../fixtures/bad-frames.ts';

export async function hugeImage(): Promise<Buffer> {
  const file = join(tmpdir(), 'loupe-test-huge-20000.png');
  if (existsSync(file)) return readFileSync(file);
  const bytes = await makeHugeImage();
  const temp = `${file}.${process.pid}`;
  writeFileSync(temp, bytes);
  renameSync(temp, file);
  return bytes;
}
