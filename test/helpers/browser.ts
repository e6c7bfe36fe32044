import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export interface TestBrowser {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Saves a full-page PNG into the run's screenshot folder and returns its path. */
  screenshot(name: string): Promise<string>;
  /** For a test's catch: saves a screenshot and throws `err` again with the screenshot's path in its message. */
  failWithScreenshot(name: string, err: unknown): Promise<never>;
  close(): Promise<void>;
}

/**
 * Debian's chromium driven by playwright-core. A persistent context on a fresh temp profile is the
 * launch that works with that build (Playwright refuses --user-data-dir in args).
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'workroom-chromium-'));
  const shots = process.env.E2E_SCREENSHOT_DIR ?? join(tmpdir(), 'workroom-e2e-screenshots');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.setDefaultTimeout(5_000);
  const page = context.pages()[0] ?? (await context.newPage());
  async function screenshot(name: string): Promise<string> {
    mkdirSync(shots, { recursive: true });
    const path = join(shots, `${name.replace(/[^a-z0-9-]+/gi, '_')}-${Date.now()}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
  }
  return {
    context,
    page,
    screenshot,
    async failWithScreenshot(name, err) {
      const shot = await screenshot(name);
      throw new Error(`${(err as Error).message}\nscreenshot: ${shot}`, { cause: err });
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
