import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { DEMO_PASSWORD } from '../../src/demo/data.js';
import { seedDemo } from '../../src/demo/seed.js';
import { startEmulator, type StartedEmulator } from '../../src/emulator/index.js';
import { createQboConnectionService } from '../../src/qbo/connection/setup.js';
import { buildApp } from '../../src/server/index.js';
import { qboConnectionRoutes } from '../../src/server/routes/qbo/index.js';
import { launchBrowser, type TestBrowser } from '../helpers/browser.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { buildUiBundle, type UiBundle } from './support/ui-bundle.js';

/** The redirect URI names the app's port, so it is chosen before the app is built. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('QuickBooks connection in the browser', () => {
  let database: TestDatabase;
  let ui: UiBundle;
  let browser: TestBrowser;
  let emulator: StartedEmulator;
  let app: FastifyInstance;
  let baseUrl: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'workroom-e2e-qbo-'));

  beforeAll(async () => {
    [database, ui, browser, emulator] = await Promise.all([
      createTestDatabase('sqlite'),
      buildUiBundle(),
      launchBrowser(),
      startEmulator({ port: 0, host: '127.0.0.1', withHistory: false }),
    ]);
    await seedDemo(database.db);
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const config = parseConfig({
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: baseUrl,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
      DEMO_DATA: 'false',
      QBO_EMULATOR_URL: emulator.baseUrl,
    });
    const service = await createQboConnectionService({ config, db: database.db, dialect: database.dialect });
    app = await buildApp({
      db: database.db,
      dialect: database.dialect,
      config,
      logger: false,
      staticRoot: ui.dir,
      extend: async (instance, deps) => {
        await instance.register(qboConnectionRoutes, { service, db: deps.db });
      },
    });
    await app.listen({ port, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await emulator?.close();
    await database?.close();
    ui?.remove();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const tile = (page: Page) => page.getByTestId('qbo-tile');
  const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

  /** At the emulated Intuit: pick a company file on the chooser and approve (or cancel). */
  async function chooseAtIntuit(page: Page, company: string, button: 'Connect' | 'Cancel' = 'Connect'): Promise<void> {
    await page.waitForURL((url) => url.href.startsWith(emulator.baseUrl));
    await page.getByLabel(company).check();
    await page.getByRole('button', { name: button }).click();
    await page.waitForURL((url) => url.href.startsWith(`${baseUrl}/settings/apps`));
  }

  it('connects, shows the badge, disconnects, handles a cancel, and reconnects after a revoked token', async () => {
    const { page } = browser;
    try {
      await page.goto(`${baseUrl}/login`);
      await page.getByLabel('Email').fill('owner@demo.studio');
      await page.getByLabel('Password').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/invoices');

      await nav(page).getByRole('link', { name: 'Apps' }).click();
      await expect.poll(() => tile(page).getByTestId('qbo-status').textContent()).toBe('Not connected');
      expect(await nav(page).getByRole('link', { name: 'Sync Center' }).count()).toBe(0);

      await tile(page).getByRole('button', { name: 'Connect' }).click();
      await chooseAtIntuit(page, 'Sandbox Company_US_1');
      await expect.poll(() => tile(page).getByTestId('qbo-status').textContent()).toBe('Connected');
      expect(await page.getByTestId('qbo-notice').textContent()).toContain('connected');
      expect(await tile(page).getByTestId('qbo-company-name').textContent()).toBe('Sandbox Company_US_1');
      expect(await tile(page).getByTestId('qbo-environment').textContent()).toBe('Sandbox');
      expect(await tile(page).getByTestId('qbo-home-currency').textContent()).toBe('USD');
      const badgeColour = await tile(page).getByTestId('qbo-status').evaluate((el) => getComputedStyle(el).color);
      expect(badgeColour).toBe('rgb(29, 107, 58)');
      expect(new URL(page.url()).search).toBe('');
      await expect.poll(() => nav(page).getByRole('link', { name: 'Sync Center' }).count()).toBe(1);
      expect(await nav(page).getByRole('link', { name: 'QuickBooks P&L' }).count()).toBe(1);
      await browser.screenshot('qbo-connected');

      await tile(page).getByRole('button', { name: 'Disconnect' }).click();
      await expect.poll(() => tile(page).getByTestId('qbo-status').textContent()).toBe('Disconnected');
      expect(await page.getByTestId('qbo-notice').textContent()).toContain('Nothing was deleted');
      await expect.poll(() => nav(page).getByRole('link', { name: 'Sync Center' }).count()).toBe(0);

      await tile(page).getByRole('button', { name: 'Connect' }).click();
      await chooseAtIntuit(page, 'Workroom Demo Studio', 'Cancel');
      await expect.poll(() => page.getByTestId('qbo-notice').textContent()).toContain('You cancelled at Intuit');
      expect(await tile(page).getByTestId('qbo-status').textContent()).toBe('Disconnected');

      // A callback whose state this session never issued (forged or tampered) is refused, and the tile says so.
      await page.goto(`${baseUrl}/api/qbo/callback?code=AB11forged&state=not-a-state-we-issued&realmId=9130357921644326`);
      await expect.poll(() => page.getByTestId('qbo-notice').textContent()).toContain('could not be verified');
      expect(await tile(page).getByTestId('qbo-status').textContent()).toBe('Disconnected');

      await tile(page).getByRole('button', { name: 'Connect' }).click();
      await chooseAtIntuit(page, 'Workroom Demo Studio');
      await expect.poll(() => tile(page).getByTestId('qbo-status').textContent()).toBe('Connected');
      expect(await tile(page).getByTestId('qbo-environment').textContent()).toBe('Production');
      expect(await tile(page).getByTestId('qbo-company-name').textContent()).toBe('Workroom Demo Studio');

      // Intuit revokes the grant and the access token runs out: the tile must say so, with the fix.
      emulator.tokens.revokeRealm('9130357921644326');
      emulator.clock.advance(3600_000 + 1000);
      await tile(page).getByRole('button', { name: 'Refresh company details' }).click();
      await expect.poll(() => page.getByTestId('qbo-notice').textContent()).toMatch(/Reconnect to continue/);
      await expect.poll(() => tile(page).getByTestId('qbo-status').textContent()).toBe('Needs reconnect');
      expect(await tile(page).getByRole('alert').textContent()).toContain('QuickBooks needs reconnecting');
      await expect.poll(() => nav(page).getByRole('link', { name: 'Sync Center' }).count()).toBe(1);
      await browser.screenshot('qbo-needs-reconnect');

      await tile(page).getByRole('button', { name: 'Reconnect' }).click();
      await chooseAtIntuit(page, 'Workroom Demo Studio');
      await expect.poll(() => tile(page).getByTestId('qbo-status').textContent()).toBe('Connected');
    } catch (err) {
      console.error(`screenshot: ${await browser.screenshot('qbo-connect-failure')}`);
      throw err;
    }
  }, 120_000);
});
