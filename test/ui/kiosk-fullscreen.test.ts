/**
 * The real launcher (ui/shell/launch-kiosk.sh) on a private X display: with no Electron binary
 * it starts `chromium --kiosk --app=URL`, and the window must show the kiosk page full-screen.
 * Checked twice: the page's own window geometry over Chromium's remote-debugging port, and an
 * ImageMagick screenshot of the X root window (no unpainted, black edge anywhere).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH } from './helpers/browser.ts';
import { removeDataDir, startDaemon, type RunningDaemon } from './helpers/daemon.ts';
import { REPO_ROOT } from './helpers/kiosk-modules.ts';
import { freePort, waitFor } from './helpers/ports.ts';
import { startXvfb, type VirtualDisplay } from './helpers/xvfb.ts';

const SCREEN = { width: 1280, height: 800 };
const LAUNCHER = path.join(REPO_ROOT, 'ui/shell/launch-kiosk.sh');

let daemon: RunningDaemon;
let display: VirtualDisplay;
let launcher: ChildProcess;
let launcherOutput = '';
let browser: Browser;
let page: Page;
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'loupe-ui-xvfb-'));
  daemon = await startDaemon({ camera: 'synthetic' });
  display = await startXvfb(SCREEN.width, SCREEN.height);
  const cdpPort = await freePort();
  launcher = spawn('bash', [LAUNCHER, '--url', daemon.url, '--wait-s', '30', '--', '--no-sandbox', '--disable-gpu', '--disable-quic', `--remote-debugging-port=${cdpPort}`], {
    env: { ...process.env, DISPLAY: display.display, LOUPE_CHROMIUM: CHROMIUM_PATH, LOUPE_KIOSK_PROFILE: path.join(scratch, 'profile'), LOUPE_KIOSK_FORCE_CHROMIUM: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so every Chromium child can be stopped together
  });
  launcher.stdout?.on('data', (chunk: Buffer) => (launcherOutput += chunk.toString()));
  launcher.stderr?.on('data', (chunk: Buffer) => (launcherOutput = (launcherOutput + chunk.toString()).slice(-20_000)));
  browser = await waitFor('Chromium remote debugging', () => chromium.connectOverCDP(`http://127.0.0.1:${cdpPort}`, { timeout: 5000 }), 45_000, 500);
  page = await waitFor('the kiosk page in Chromium', async () => browser.contexts().flatMap((c) => c.pages()).find((p) => p.url().startsWith(daemon.url)), 30_000);
  await page.locator('body[data-connection="open"]').waitFor({ timeout: 30_000 });
}, 150_000);

afterAll(async () => {
  await browser?.close().catch(() => {});
  if (launcher?.pid && launcher.exitCode === null) {
    const exited = new Promise((resolve) => launcher.once('exit', resolve));
    process.kill(-launcher.pid, 'SIGTERM');
    await exited;
  }
  await display?.stop();
  await daemon?.stop();
  if (daemon) await removeDataDir(daemon.dataDir);
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('kiosk window under Xvfb', () => {
  it('was started by the chromium fallback of launch-kiosk.sh', () => {
    expect(launcherOutput).toContain('waiting for the daemon');
    expect(launcherOutput).toContain(`starting ${CHROMIUM_PATH} --kiosk --app=${daemon.url}/`);
  });

  it('fills the whole screen with the page: no browser UI, window at the origin', async () => {
    const geometry = await page.evaluate(() => ({
      innerWidth,
      innerHeight,
      screenX,
      screenY,
      screenWidth: screen.width,
      screenHeight: screen.height,
      fullscreen: matchMedia('(display-mode: fullscreen)').matches,
    }));
    expect({ width: geometry.screenWidth, height: geometry.screenHeight }).toEqual(SCREEN);
    expect([geometry.screenX, geometry.screenY]).toEqual([0, 0]);
    // The viewport covers the screen; launch-kiosk.sh makes it one pixel larger on a bare X server.
    expect(geometry.innerWidth).toBeGreaterThanOrEqual(SCREEN.width);
    expect(geometry.innerHeight).toBeGreaterThanOrEqual(SCREEN.height);
    expect(geometry.innerWidth - SCREEN.width).toBeLessThanOrEqual(1);
    expect(geometry.innerHeight - SCREEN.height).toBeLessThanOrEqual(1);
    expect(geometry.fullscreen).toBe(true);
  });

  it('paints the page to every edge of the X screen (ImageMagick import -window root)', async () => {
    const shot = path.join(scratch, 'root.png');
    await promisify(execFile)('import', ['-display', display.display, '-window', 'root', shot]);
    const { data, info } = await sharp(await readFile(shot)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    expect({ width: info.width, height: info.height }).toEqual(SCREEN);
    const pixel = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    const isUnpainted = ([r, g, b]: number[]) => r + g + b < 30; // the bare X root is black

    const edge: Array<[number, number]> = [];
    for (let x = 0; x < info.width; x += 8) edge.push([x, 0], [x, info.height - 1]);
    for (let y = 0; y < info.height; y += 8) edge.push([0, y], [info.width - 1, y]);
    expect(edge.filter(([x, y]) => isUnpainted(pixel(x, y)))).toEqual([]);

    // The honest label's band runs edge to edge in its own colour (#fff3da).
    const label = await page.locator('#honest-label').boundingBox();
    expect(label).not.toBeNull();
    const y = Math.round(label!.y + 3);
    for (const x of [1, 100, info.width - 100, info.width - 2]) expect(pixel(x, y), `label band at x=${x}`).toEqual([255, 243, 218]);
  });
});

describe('launch-kiosk.sh without a daemon', () => {
  it('gives up with exit code 3 and says why', async () => {
    const port = await freePort();
    const result = await promisify(execFile)('bash', [LAUNCHER, '--url', `http://127.0.0.1:${port}`, '--wait-s', '1'], { env: { ...process.env, LOUPE_KIOSK_FORCE_CHROMIUM: '1' } }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`did not answer http://127.0.0.1:${port}/api/health`);
  });
});
