/**
 * A frame the quality gate refuses: the real daemon replays an off-centre stone from a folder,
 * and the page must show the gate's own message, prominently, and no grade.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHeadlessKiosk, type HeadlessKiosk } from './helpers/browser.ts';
import { removeDataDir, startDaemon, type RunningDaemon } from './helpers/daemon.ts';
import { offCentreStonePng, replayFolder } from './helpers/frames.ts';

let framesDir: string;
let daemon: RunningDaemon;
let kiosk: HeadlessKiosk;

beforeAll(async () => {
  framesDir = await replayFolder([await offCentreStonePng()]);
  daemon = await startDaemon({ camera: `folder:${framesDir}` });
  kiosk = await openHeadlessKiosk(daemon.url);
  await kiosk.page.locator('body[data-connection="open"]').waitFor();
}, 120_000);

afterAll(async () => {
  await kiosk?.close();
  await daemon?.stop();
  if (daemon) await removeDataDir(daemon.dataDir);
  if (framesDir) await rm(framesDir, { recursive: true, force: true });
});

describe('a refused frame', () => {
  it("shows the gate's message prominently and grades nothing", async () => {
    const { page } = kiosk;
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/grade'), { timeout: 30_000 }), page.locator('#grade-button').click()]);
    expect(response.status()).toBe(422);
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('STONE_OFF_CENTRE');

    const refusal = page.locator('#refusal');
    await refusal.waitFor({ state: 'visible' });
    expect(await page.locator('#refusal-message').textContent()).toBe(error.message);
    expect(error.message).toMatch(/centre of the tray/i);
    expect(await refusal.getAttribute('data-code')).toBe('STONE_OFF_CENTRE');
    expect(await page.locator('#refusal-title').textContent()).toBe('Stone not graded');
    expect(await page.locator('#result-card').isVisible()).toBe(false);

    // Prominent: large type, readable from across the counter.
    const fontPx = await page.locator('#refusal-message').evaluate((node) => parseFloat(getComputedStyle(node).fontSize));
    expect(fontPx).toBeGreaterThanOrEqual(32);

    const grades = (await (await fetch(`${daemon.url}/api/grades?limit=5`, { signal: AbortSignal.timeout(10_000) })).json()) as { grades: unknown[] };
    expect(grades.grades).toEqual([]);
    expect(await page.locator('#history li').count()).toBe(0);
    expect(await page.locator('#grade-button').isEnabled()).toBe(true);
  });
});
