/**
 * Bundles the shell for Electron: ui/shell/dist/main.cjs and preload.cjs. Electron cannot run
 * TypeScript, and a sandboxed preload must be one file that requires nothing but 'electron'.
 * Run: node --import tsx ui/shell/build.ts   (launch-kiosk.sh does this before starting Electron)
 */
import { build, type BuildOptions } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const shellDir = path.dirname(fileURLToPath(import.meta.url));
export const SHELL_DIST = path.join(shellDir, 'dist');

export async function buildShell(outDir: string = SHELL_DIST): Promise<{ main: string; preload: string }> {
  const common: BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external: ['electron'],
    sourcemap: 'linked',
    logLevel: 'warning',
  };
  const main = path.join(outDir, 'main.cjs');
  const preload = path.join(outDir, 'preload.cjs');
  await build({ ...common, entryPoints: [path.join(shellDir, 'main.ts')], outfile: main });
  await build({ ...common, entryPoints: [path.join(shellDir, 'preload.ts')], outfile: preload });
  return { main, preload };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildShell();
  console.log(`built ${out.main} and ${out.preload}`);
}
