/** `loupe synth sheet [--out models/synth/contact-sheet.png] [--size PX]` */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderContactSheet } from './contact-sheet.ts';

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: 'string' }, size: { type: 'string', default: '240' } }, strict: true });
  const out = values.out ?? fileURLToPath(new URL('./contact-sheet.png', import.meta.url));
  await writeFile(out, await renderContactSheet(Number(values.size)));
  console.log(`wrote ${out}`);
  return 0;
}
