/** Real Chromium (Debian's) driven through playwright-core, with a throwaway profile. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const QUIET_CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface HeadlessKiosk {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function openHeadlessKiosk(url: string, viewport = { width: 1280, height: 800 }): Promise<HeadlessKiosk> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'loupe-ui-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', ...QUIET_CHROMIUM_ARGS],
    viewport,
    hasTouch: true,
    timeout: 30_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  await page.goto(url, { waitUntil: 'load' });
  return {
    context,
    page,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
