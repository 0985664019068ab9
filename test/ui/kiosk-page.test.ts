/**
 * The kiosk page in real headless Chromium against the real daemon (synthetic camera):
 * status chips, the honest label, grading a stone, live events, history, the CSP.
 */
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openHeadlessKiosk, type HeadlessKiosk } from './helpers/browser.ts';
import { removeDataDir, startDaemon, type RunningDaemon } from './helpers/daemon.ts';
import { KIOSK_DIR } from './helpers/kiosk-modules.ts';
import { sampleRecord } from './helpers/records.ts';

const HONEST_LABEL = 'Model trained on synthetic renders — not validated on real stones';

interface HealthBody {
  model: { name: string; version: string; provider: string };
  camera: { kind: string; ready: boolean };
  sync: { state: string };
}
interface RecordBody {
  id: string;
  grades: Record<'colour' | 'clarity' | 'cut', { grade: string; top: string; confidence: number }>;
  carat: { value: number };
}

let daemon: RunningDaemon;
let kiosk: HeadlessKiosk;

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  expect(response.ok, `${url} answered ${response.status}`).toBe(true);
  return (await response.json()) as T;
}

/** What the card should show for one head of a record. */
function shownGrade(head: { grade: string }): string {
  return head.grade === 'refer' ? 'Refer to a gemologist' : head.grade;
}

beforeAll(async () => {
  daemon = await startDaemon({ camera: 'synthetic' });
  kiosk = await openHeadlessKiosk(daemon.url);
  await kiosk.page.locator('body[data-connection="open"]').waitFor();
}, 120_000);

afterAll(async () => {
  await kiosk?.close();
  await daemon?.stop();
  if (daemon) await removeDataDir(daemon.dataDir);
});

describe('kiosk page on the real daemon', () => {
  it('always shows the synthetic-renders label', async () => {
    const label = kiosk.page.locator('#honest-label');
    await expect.poll(() => label.isVisible()).toBe(true);
    expect(await label.textContent()).toBe(HONEST_LABEL);
    const box = await label.boundingBox();
    expect(box && box.y >= 0 && box.y + box.height <= 800).toBe(true);
  });

  it('shows model version and provider, camera and sync state from /api/health', async () => {
    const health = await getJson<HealthBody>(`${daemon.url}/api/health`);
    const model = kiosk.page.locator('#chip-model');
    await expect.poll(() => model.textContent()).toContain(health.model.version);
    expect(await model.textContent()).toContain(health.model.provider);
    expect(await kiosk.page.locator('#chip-camera').textContent()).toContain(health.camera.ready ? 'Camera ready' : 'Camera not ready');
    expect(await kiosk.page.locator('#chip-sync').textContent()).toContain(`HQ ${health.sync.state}`);
  });

  it('shows a live preview from the camera', async () => {
    await expect.poll(() => kiosk.page.locator('#preview').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 20_000 }).toBeGreaterThan(0);
    expect(await kiosk.page.locator('#preview').getAttribute('src')).toMatch(/^blob:/);
  });

  it('grades a stone with the big button and shows the card the daemon stored', async () => {
    const { page } = kiosk;
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/grade') && r.request().method() === 'POST', { timeout: 30_000 }), page.locator('#grade-button').click()]);
    expect(response.status()).toBe(201);
    const { record } = (await response.json()) as { record: RecordBody };
    const card = page.locator('#result-card');
    await expect.poll(() => card.getAttribute('data-record-id')).toBe(record.id);
    expect(await card.isVisible()).toBe(true);

    const stored = await getJson<{ record: RecordBody }>(`${daemon.url}/api/grades/${record.id}`);
    for (const head of ['colour', 'clarity', 'cut'] as const) {
      const value = card.locator(`[data-head="${head}"]`);
      expect(await value.textContent()).toContain(shownGrade(stored.record.grades[head]));
    }
    expect(await card.locator('[data-head="carat"]').textContent()).toBe(`${stored.record.carat.value.toFixed(2)} ct`);
    const bars = await card.locator('.bar').evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('aria-valuenow'))));
    expect(bars).toEqual((['colour', 'clarity', 'cut'] as const).map((h) => Math.round(stored.record.grades[h].confidence * 100)));
    const referBanner = await card.locator('.refer-banner').count();
    expect(referBanner).toBe(Object.values(stored.record.grades).some((g) => g.grade === 'refer') ? 1 : 0);

    const historyItem = page.locator(`#history [data-record-id="${record.id}"]`);
    await historyItem.waitFor();
    await expect.poll(() => historyItem.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  });

  it('shows a grade made elsewhere as it arrives on the WebSocket', async () => {
    const response = await fetch(`${daemon.url}/api/grade`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
    expect(response.status).toBe(201);
    const { record } = (await response.json()) as { record: RecordBody };
    await expect.poll(() => kiosk.page.locator('#result-card').getAttribute('data-record-id'), { timeout: 10_000 }).toBe(record.id);
    expect(await kiosk.page.locator(`#history [data-record-id="${record.id}"]`).count()).toBe(1);
  });

  it('keeps the sync chip\'s backlog in step with the daemon after grading', async () => {
    const health = await getJson<HealthBody & { sync: { backlog: number } }>(`${daemon.url}/api/health`);
    expect(health.sync.backlog).toBeGreaterThan(0); // no broker in this test: every grade waits
    await expect.poll(() => kiosk.page.locator('#chip-sync').textContent(), { timeout: 15_000 }).toBe(`HQ ${health.sync.state} · ${health.sync.backlog} waiting`);
  });

  it('says "Refer to a gemologist" plainly when a head refers', async () => {
    const referred = sampleRecord({ clarity: 'refer', confidence: 0.41 });
    // A string, so vitest does not rewrite the browser's import() into its own loader.
    await kiosk.page.evaluate(`import('/js/result-view.js').then((view) => view.showRecord(${JSON.stringify(referred)}))`);
    const card = kiosk.page.locator('#result-card');
    expect(await card.locator('.refer-banner').isVisible()).toBe(true);
    expect(await card.locator('[data-head="clarity"]').textContent()).toContain('Refer to a gemologist');
    expect(await card.locator('[data-head="clarity"]').textContent()).toContain('best guess VS1');
    expect(await card.locator('.confidence-word').first().textContent()).toBe('Unsure');
  });

  it('serves a CSP that blocks inline script', async () => {
    const response = await fetch(`${daemon.url}/`, { signal: AbortSignal.timeout(10_000) });
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const outcome = await kiosk.page.evaluate(
      () =>
        new Promise<{ ran: boolean; violated: string }>((resolve, reject) => {
          const w = window as unknown as { inlineRan?: boolean };
          const noReport = setTimeout(() => reject(new Error('no securitypolicyviolation event')), 5000);
          // An allowed inline script runs synchronously inside append(); a blocked one reports a violation.
          document.addEventListener('securitypolicyviolation', (event) => {
            clearTimeout(noReport);
            resolve({ ran: w.inlineRan === true, violated: event.violatedDirective });
          }, { once: true });
          const script = document.createElement('script');
          script.textContent = 'window.inlineRan = true';
          document.body.append(script);
          if (w.inlineRan) {
            clearTimeout(noReport);
            resolve({ ran: true, violated: '' });
          }
        }),
    );
    expect(outcome.ran).toBe(false);
    expect(outcome.violated).toMatch(/^script-src/);
  });

  // Written over ui/kiosk/screenshot.png only with LOUPE_UPDATE_SCREENSHOT=1, so ordinary runs leave the tree clean.
  it('takes a screenshot of a graded stone (the README picture)', async () => {
    const response = await fetch(`${daemon.url}/api/grade`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
    const { record } = (await response.json()) as { record: RecordBody };
    await expect.poll(() => kiosk.page.locator('#result-card').getAttribute('data-record-id')).toBe(record.id);
    await expect.poll(() => kiosk.page.locator('#preview').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    const file = process.env.LOUPE_UPDATE_SCREENSHOT === '1' ? path.join(KIOSK_DIR, 'screenshot.png') : path.join(os.tmpdir(), `loupe-kiosk-${process.pid}.png`);
    const png = await kiosk.page.screenshot({ path: file });
    const { width, height } = await sharp(png).metadata();
    expect({ width, height }).toEqual({ width: 1280, height: 800 });
    if (!file.startsWith(KIOSK_DIR)) await rm(file, { force: true });
  });
});
