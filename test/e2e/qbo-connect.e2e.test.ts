import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQboApp, type QboStack } from './support/stack.js';
import { chooseAtIntuit, DEMO_OWNER, logIn } from './support/steps.js';

describe('QuickBooks connection in the browser', () => {
  let stack: QboStack;

  beforeAll(async () => {
    stack = await startQboApp({ dataDirPrefix: 'workroom-e2e-qbo-', emulator: { withHistory: false } });
  });

  afterAll(() => stack?.close());

  const tile = (page: Page) => page.getByTestId('qbo-tile');
  const nav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

  it('connects, shows the badge, disconnects, handles a cancel, and reconnects after a revoked token', async () => {
    const { browser, emulator, baseUrl } = stack;
    const { page } = browser;
    try {
      await logIn(page, stack, DEMO_OWNER);

      await nav(page).getByRole('link', { name: 'Apps' }).click();
      await expect.poll(() => tile(page).getByTestId('qbo-status').textContent()).toBe('Not connected');
      expect(await nav(page).getByRole('link', { name: 'Sync Center' }).count()).toBe(0);

      await tile(page).getByRole('button', { name: 'Connect' }).click();
      await chooseAtIntuit(page, stack, 'Sandbox Company_US_1');
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
      await chooseAtIntuit(page, stack, 'Workroom Demo Studio', 'Cancel');
      await expect.poll(() => page.getByTestId('qbo-notice').textContent()).toContain('You cancelled at Intuit');
      expect(await tile(page).getByTestId('qbo-status').textContent()).toBe('Disconnected');

      // A callback whose state this session never issued (forged or tampered) is refused, and the tile says so.
      await page.goto(`${baseUrl}/api/qbo/callback?code=AB11forged&state=not-a-state-we-issued&realmId=9130357921644326`);
      await expect.poll(() => page.getByTestId('qbo-notice').textContent()).toContain('could not be verified');
      expect(await tile(page).getByTestId('qbo-status').textContent()).toBe('Disconnected');

      await tile(page).getByRole('button', { name: 'Connect' }).click();
      await chooseAtIntuit(page, stack, 'Workroom Demo Studio');
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
      await chooseAtIntuit(page, stack, 'Workroom Demo Studio');
      await expect.poll(() => tile(page).getByTestId('qbo-status').textContent()).toBe('Connected');
    } catch (err) {
      console.error(`screenshot: ${await browser.screenshot('qbo-connect-failure')}`);
      throw err;
    }
  }, 120_000);
});
