/**
 * The daemon dies under the page (SIGKILL, like a crash) and comes back on the same port and
 * data folder: the page says "Reconnecting…", then recovers by itself and grades again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHeadlessKiosk, type HeadlessKiosk } from './helpers/browser.ts';
import { removeDataDir, startDaemon, type RunningDaemon } from './helpers/daemon.ts';

let daemon: RunningDaemon;
let kiosk: HeadlessKiosk;
let dataDir: string;

beforeAll(async () => {
  daemon = await startDaemon({ camera: 'synthetic' });
  dataDir = daemon.dataDir;
  kiosk = await openHeadlessKiosk(daemon.url);
  await kiosk.page.locator('body[data-connection="open"]').waitFor();
}, 120_000);

afterAll(async () => {
  await kiosk?.close();
  await daemon?.stop();
  if (dataDir) await removeDataDir(dataDir);
});

describe('daemon restart', () => {
  it('shows Reconnecting… while the daemon is down and recovers when it returns', async () => {
    const { page } = kiosk;
    const before = await fetch(`${daemon.url}/api/grade`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
    expect(before.status).toBe(201);
    const { record: first } = (await before.json()) as { record: { id: string } };
    await page.locator(`#history [data-record-id="${first.id}"]`).waitFor();
    expect(await page.locator('#connection').isVisible()).toBe(false);

    await daemon.stop('SIGKILL');
    const banner = page.locator('#connection');
    await banner.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await banner.textContent()).toBe('Reconnecting…');
    expect(await page.locator('#grade-button').isDisabled()).toBe(true);
    expect(await page.locator('#honest-label').isVisible()).toBe(true);

    daemon = await startDaemon({ camera: 'synthetic', dataDir, port: daemon.port });
    await banner.waitFor({ state: 'hidden', timeout: 30_000 });
    expect(await page.locator('body').getAttribute('data-connection')).toBe('open');
    expect(await page.locator('#grade-button').isEnabled()).toBe(true);
    // The grade from before the crash is still listed, read back from the daemon's store.
    await page.locator(`#history [data-record-id="${first.id}"]`).waitFor();

    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/grade'), { timeout: 30_000 }), page.locator('#grade-button').click()]);
    expect(response.status()).toBe(201);
    const { record: second } = (await response.json()) as { record: { id: string } };
    await expect.poll(() => page.locator('#result-card').getAttribute('data-record-id')).toBe(second.id);
  });
});
