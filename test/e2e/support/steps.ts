import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../../src/demo/data.js';
import type { QboStack, Stack } from './stack.js';

export interface Login {
  readonly email: string;
  readonly password: string;
}

/** The demo studio's owner (src/demo/data.ts). */
export const DEMO_OWNER: Login = { email: 'owner@demo.studio', password: DEMO_PASSWORD };

/** Opens the login page and logs in. */
export async function logIn(page: Page, stack: Pick<Stack, 'baseUrl'>, login: Login): Promise<void> {
  await page.goto(`${stack.baseUrl}/login`);
  await submitLogin(page, login);
}

/** Logs out from the sidebar and waits for the login page. */
export async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL((url) => url.pathname === '/login');
}

/** Fills the login form the page shows and waits for the invoice list a login lands on. */
export async function submitLogin(page: Page, login: Login): Promise<void> {
  await page.getByLabel('Email').fill(login.email);
  await page.getByLabel('Password').fill(login.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe('/invoices');
}

/** At the emulated Intuit: pick a company file on the chooser, approve (or cancel), and wait to be back on Apps. */
export async function chooseAtIntuit(
  page: Page,
  stack: Pick<QboStack, 'emulator' | 'baseUrl'>,
  company: string,
  button: 'Connect' | 'Cancel' = 'Connect',
): Promise<void> {
  await page.waitForURL((url) => url.href.startsWith(stack.emulator.baseUrl));
  await page.getByLabel(company).check();
  await page.getByRole('button', { name: button }).click();
  await page.waitForURL((url) => url.href.startsWith(`${stack.baseUrl}/settings/apps`));
}
