import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildShell } from '../../ui/shell/build.ts';
import { IpcChannels } from '../../ui/shell/ipc-channels.ts';

let outDir: string;
let built: { main: string; preload: string };

function requiredModules(source: string): string[] {
  return [...new Set([...source.matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]))];
}

beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'loupe-shell-build-'));
  built = await buildShell(outDir);
});
afterAll(() => rm(outDir, { recursive: true, force: true }));

describe('the Electron shell bundle', () => {
  it('gives a sandboxed preload that requires nothing but electron', async () => {
    const preload = await readFile(built.preload, 'utf8');
    expect(requiredModules(preload)).toEqual(['electron']);
    expect(preload).toContain('exposeInMainWorld');
    for (const channel of Object.values(IpcChannels)) expect(preload).toContain(channel);
  });

  it('gives a main bundle with zod inside and only electron and Node built-ins outside', async () => {
    const main = await readFile(built.main, 'utf8');
    const external = requiredModules(main);
    expect(external).toContain('electron');
    const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
    expect(external.filter((name) => name !== 'electron' && !builtins.has(name))).toEqual([]);
  });
});
