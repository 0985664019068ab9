/** Writes the shared frame fixtures to a folder: one file per case, for the CLI and folder-replay tests. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BAD_FRAME_KINDS, CONVERTED_FRAME_KINDS, type FrameFixtureSet } from '../../fixtures/bad-frames.ts';
import { hugeImage } from './huge-image.ts';

export interface FrameCase {
  name: string;
  file: string;
  /** 'OK' or the refusal code. */
  expect: string;
}

/** Files named NN-kind.ext so a replay folder plays them in this order; the good frame first and last. */
export async function writeFrameCases(fixtures: FrameFixtureSet, options: { huge?: boolean } = {}): Promise<{ dir: string; cases: FrameCase[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-frames-'));
  const items: Array<{ name: string; bytes: Buffer; expect: string; ext: string }> = [
    { name: 'good', bytes: fixtures.good.bytes, expect: 'OK', ext: 'jpg' },
    ...BAD_FRAME_KINDS.map((kind) => ({ name: kind, bytes: fixtures.bad[kind].bytes, expect: fixtures.bad[kind].expect, ext: kind === 'greyscale' ? 'png' : 'jpg' })),
    ...CONVERTED_FRAME_KINDS.map((kind) => ({ name: kind, bytes: fixtures.converted[kind].bytes, expect: 'OK', ext: kind === 'cmyk' ? 'jpg' : 'png' })),
    ...(options.huge ? [{ name: 'huge', bytes: await hugeImage(), expect: 'IMAGE_TOO_LARGE', ext: 'png' }] : []),
    { name: 'good-again', bytes: fixtures.good.bytes, expect: 'OK', ext: 'jpg' },
  ];
  const cases = items.map((item, i) => {
    const file = join(dir, `${String(i).padStart(2, '0')}-${item.name}.${item.ext}`);
    writeFileSync(file, item.bytes);
    return { name: item.name, file, expect: item.expect };
  });
  return { dir, cases };
}
