import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/seed.js';
import { startApp, type Stack } from './support/stack.js';
import { DEMO_OWNER, logIn } from './support/steps.js';

/** What differs between the client and the vendor page: their words, API path and where the name is stored. */
const KINDS = [
  { noun: 'client', Noun: 'Client', path: 'clients', nameOf: (body: PartyBody) => body.clientInformation?.name },
  { noun: 'vendor', Noun: 'Vendor', path: 'vendors', nameOf: (body: PartyBody) => body.name },
] as const;

interface PartyBody {
  name?: string;
  phone?: string;
  clientInformation?: { name: string; phone: string };
}

describe('client and vendor pages in the browser', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startApp({ dataDirPrefix: 'workroom-e2e-parties-', seed: async (db) => void (await seedDemo(db)) });
  });

  afterAll(() => stack?.close());

  it.each(KINDS)('creates, refuses a blank name, edits, shows another and back, and deletes a $noun', async (kind) => {
    const { browser, baseUrl } = stack;
    const { page } = browser;
    const stored = async (id: string) => page.request.get(`${baseUrl}/api/${kind.path}/${id}`);
    try {
      await page.context().clearCookies();
      await logIn(page, stack, DEMO_OWNER);
      await page.goto(`${baseUrl}/${kind.path}`);
      await page.getByRole('button', { name: `New ${kind.noun}` }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe(`/${kind.path}/new`);

      // Spaces satisfy the browser's "required" but not the server, which trims: its message lands on the field.
      const name = page.getByLabel(`${kind.Noun} name`);
      await name.fill('   ');
      await page.getByRole('button', { name: `Create ${kind.noun}` }).click();
      await page.getByRole('alert').filter({ hasText: 'Please correct the highlighted fields.' }).waitFor();
      expect(await name.getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByRole('alert').filter({ hasText: 'is required' }).count()).toBe(1);
      expect(new URL(page.url()).pathname).toBe(`/${kind.path}/new`);

      const newName = `Harbour & Pine ${kind.Noun}`;
      await name.fill(newName);
      await page.getByRole('button', { name: `Create ${kind.noun}` }).click();
      await page.getByRole('status').filter({ hasText: `${kind.Noun} saved.` }).waitFor();
      await expect.poll(() => new URL(page.url()).pathname).toMatch(new RegExp(`^/${kind.path}/(?!new$)[^/]+$`));
      const id = new URL(page.url()).pathname.split('/')[2] ?? '';
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(newName);
      expect(await name.getAttribute('aria-invalid')).toBe('false');
      expect(kind.nameOf((await (await stored(id)).json()) as PartyBody)).toBe(newName);

      await page.getByLabel('Phone').fill('+1 555 0100');
      await page.getByRole('button', { name: `Save ${kind.noun}` }).click();
      await expect
        .poll(async () => {
          const body = (await (await stored(id)).json()) as PartyBody;
          return body.phone ?? body.clientInformation?.phone;
        })
        .toBe('+1 555 0100');
      await page.getByRole('status').filter({ hasText: `${kind.Noun} saved.` }).waitFor();

      // The page stays mounted from one record to another (back / forward): it shows the other record, all of it.
      const list = (await (await page.request.get(`${baseUrl}/api/${kind.path}?pageSize=100`)).json()) as { items: Array<{ id: string } & PartyBody> };
      const other = list.items.find((p) => p.id !== id);
      if (!other) throw new Error(`the demo studio has no other ${kind.noun}`);
      const go = (path: string) =>
        page.evaluate((to) => {
          window.history.pushState(null, '', to);
          window.dispatchEvent(new PopStateEvent('popstate'));
        }, path);
      await go(`/${kind.path}/${other.id}`);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(kind.nameOf(other));
      expect(await name.inputValue()).toBe(kind.nameOf(other));
      expect(await page.getByRole('status').filter({ hasText: `${kind.Noun} saved.` }).count()).toBe(0);
      await go(`/${kind.path}/${id}`);
      await expect.poll(() => name.inputValue()).toBe(newName);
      expect(await page.getByLabel('Phone').inputValue()).toBe('+1 555 0100');

      const confirmations: string[] = [];
      page.once('dialog', (dialog) => {
        confirmations.push(dialog.message());
        void dialog.accept();
      });
      await page.getByRole('button', { name: `${kind.Noun} actions` }).click();
      await page.getByRole('menuitem', { name: `Delete ${kind.noun}` }).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe(`/${kind.path}`);
      expect(confirmations).toEqual([`Delete this ${kind.noun}?`]);
      expect((await stored(id)).status()).toBe(404);
    } catch (err) {
      return browser.failWithScreenshot(`parties-e2e-${kind.noun}-failure`, err);
    }
  });
});
