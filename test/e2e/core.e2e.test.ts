import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type Stack } from './support/stack.js';
import { DEMO_OWNER, logIn, logOut, submitLogin, type Login } from './support/steps.js';
import { DEMO_PASSWORD } from '../../src/demo/data.js';

/** Workroom without QuickBooks, as a studio first meets it: log in, clients, vendors, a purchase order, the lists. */
describe('Workroom core in the browser', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startApp({ dataDirPrefix: 'workroom-e2e-core-' });
  });

  afterAll(() => stack?.close());

  it('refuses a wrong password, then keeps clients, vendors and a purchase order, and finds them in the lists', async () => {
    const { browser, baseUrl } = stack;
    const { page } = browser;
    const path = () => new URL(page.url()).pathname;
    const menu = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
    const search = async (label: string, text: string) => {
      await page.getByLabel(label).fill(text);
      await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe(text === '' ? null : text);
    };
    try {
      await page.goto(`${baseUrl}/`);
      await page.waitForURL(/\/login/);
      await page.getByLabel('Email').fill(DEMO_OWNER.email);
      await page.getByLabel('Password').fill('not the password');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('alert').filter({ hasText: 'Email or password is not right.' }).waitFor();
      expect(path()).toBe('/login');
      await submitLogin(page, DEMO_OWNER);

      // A client, created from the list and found again by its search box.
      await menu('Clients').click();
      await page.getByRole('button', { name: 'New client' }).click();
      await page.getByLabel('Client name').fill('Quillon Atelier');
      await page.getByLabel('Email').fill('hello@quillon.test');
      await page.getByRole('button', { name: 'Create client' }).click();
      await page.getByRole('status').filter({ hasText: 'Client saved.' }).waitFor();
      expect(path()).toMatch(/^\/clients\/[^/]+$/);
      await page.getByRole('heading', { name: 'Quillon Atelier' }).waitFor();

      await menu('Clients').click();
      await search('Search clients', 'QUILLON');
      await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
      expect(await page.locator('tbody tr').first().textContent()).toContain('hello@quillon.test');
      await search('Search clients', 'no such studio');
      await page.getByText('Nothing matches “no such studio”.').waitFor();

      // A vendor, and an approved purchase order for it.
      await menu('Vendors').click();
      await page.getByRole('button', { name: 'New vendor' }).click();
      await page.getByLabel('Vendor name').fill('Quillon Supply');
      await page.getByRole('button', { name: 'Create vendor' }).click();
      await page.getByRole('status').filter({ hasText: 'Vendor saved.' }).waitFor();

      await menu('Purchase Orders').click();
      await page.getByRole('button', { name: 'New purchase order' }).click();
      const vendor = page.getByLabel('Vendor', { exact: true });
      await expect.poll(() => vendor.locator('option', { hasText: 'Quillon Supply' }).count()).toBe(1);
      await vendor.selectOption({ label: 'Quillon Supply' });
      await page.getByLabel('Description, line 1').fill('Brass sconces');
      await page.getByLabel('Quantity, line 1').fill('4');
      await page.getByLabel('Rate, line 1').fill('62.25');
      await page.getByLabel('Taxable, line 1').setChecked(false);
      await expect.poll(() => page.getByLabel('Total', { exact: true }).textContent()).toBe('249.00');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Purchase Order saved.' }).waitFor();
      await page.getByRole('button', { name: 'Approve' }).click();
      const approved = page.getByRole('status').filter({ hasText: /^Purchase Order (.+) is approved\.$/ });
      await approved.waitFor();
      const number = /^Purchase Order (.+) is approved\.$/.exec((await approved.textContent()) ?? '')?.[1] ?? '';
      expect(number).toMatch(/^PO-\d+$/);

      // The list finds it by number and by vendor, and its status filter keeps it out of the drafts.
      await menu('Purchase Orders').click();
      await search('Search purchase orders', number.toLowerCase());
      await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
      expect(await page.locator('tbody tr').first().textContent()).toContain('Quillon Supply');
      await search('Search purchase orders', 'quillon supply');
      await expect.poll(() => page.locator('tbody tr').count()).toBe(1);
      await page.getByLabel('Status').selectOption('draft');
      await page.getByText('Nothing matches “quillon supply”.').waitFor();
      expect(new URL(page.url()).searchParams.get('status')).toBe('draft');
      await page.getByLabel('Status').selectOption('approved');
      await expect.poll(() => page.locator('tbody tr').count()).toBe(1);

      // A client without documents can be deleted, after the browser's confirmation.
      await menu('Clients').click();
      await search('Search clients', 'quillon');
      await page.getByRole('link', { name: 'Quillon Atelier' }).click();
      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: 'Client actions' }).click();
      await page.getByRole('menuitem', { name: 'Delete client' }).click();
      await expect.poll(path).toBe('/clients');
      await search('Search clients', 'quillon');
      await page.getByText('Nothing matches “quillon”.').waitFor();

      await page.goto(`${baseUrl}/no-such-page`);
      await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    } catch (err) {
      return browser.failWithScreenshot('core-e2e-failure', err);
    }
  });

  it('lets an owner add a user and keep the product categories; the new member sets a password and files a line under one, and is removed', async () => {
    const { browser, baseUrl } = stack;
    const { page } = browser;
    const menu = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
    const users = page.getByRole('region', { name: 'Users' });
    const categories = page.getByRole('region', { name: 'Product categories' });
    const member = { email: 'new.member@demo.studio', password: 'a long first password' };
    try {
      await page.context().clearCookies();
      await logIn(page, stack, DEMO_OWNER);
      await menu('Settings').click();
      await expect.poll(() => users.locator('tbody tr').count()).toBeGreaterThanOrEqual(2);
      expect(await users.getByRole('row', { name: /owner@demo\.studio \(you\)/ }).count()).toBe(1);

      await users.getByLabel("New user's email").fill(member.email);
      await users.getByLabel('First password').fill(member.password);
      await users.getByRole('button', { name: 'Add user' }).click();
      await users.getByRole('status').filter({ hasText: `${member.email} can now log in as a member with the password you chose.` }).waitFor();
      const memberRole = users.getByLabel(`Role of ${member.email}`);
      await expect.poll(() => memberRole.inputValue()).toBe('member');
      // Roles change from the list: made an owner, then a member again.
      await memberRole.selectOption('owner');
      await users.getByRole('status').filter({ hasText: `${member.email} is now an owner.` }).waitFor();
      await memberRole.selectOption('member');
      await users.getByRole('status').filter({ hasText: `${member.email} is now a member.` }).waitFor();
      expect(await users.getByLabel('Role of owner@demo.studio').count()).toBe(0);
      await users.getByLabel("New user's email").fill(member.email.toUpperCase());
      await users.getByLabel('First password').fill(member.password);
      await users.getByRole('button', { name: 'Add user' }).click();
      await users.getByText('a user with this email already exists').waitFor();

      await categories.getByLabel('New category').fill('Wallcoverings');
      await categories.getByRole('button', { name: 'Add category' }).click();
      await categories.getByRole('status').filter({ hasText: 'Category “Wallcoverings” added.' }).waitFor();
      await categories.getByLabel('New category').fill('wallcoverings');
      await categories.getByRole('button', { name: 'Add category' }).click();
      await categories.getByText('a category with this name already exists').waitFor();
      await categories.getByRole('button', { name: 'Rename Wallcoverings' }).click();
      await categories.getByLabel('New name for Wallcoverings').fill('Wallcoverings & Murals');
      await categories.getByRole('button', { name: 'Save' }).click();
      await categories.getByRole('status').filter({ hasText: '“Wallcoverings” is now “Wallcoverings & Murals”.' }).waitFor();
      // A category the demo's documents use stays, and the page says why.
      page.once('dialog', (dialog) => void dialog.accept());
      await categories.getByRole('button', { name: 'Delete Furniture' }).click();
      await categories.getByRole('alert').filter({ hasText: '“Furniture” was not deleted: document lines use this category; it cannot be deleted' }).waitFor();
      expect(await categories.getByRole('cell', { name: 'Furniture', exact: true }).count()).toBe(1);

      await logOut(page);
      await submitLogin(page, member);
      await menu('Settings').click();
      await users.getByText('Only an owner can add, change or remove users.').waitFor();
      expect(await users.getByLabel("New user's email").count()).toBe(0);

      // The member makes the first password their own, and logs in with it from then on.
      const own = page.getByRole('region', { name: 'Your password' });
      const mine = 'only I know this one';
      await own.getByLabel('Current password').fill(member.password);
      await own.getByLabel('New password', { exact: true }).fill(mine);
      await own.getByLabel('New password again').fill(`${mine}!`);
      await own.getByRole('button', { name: 'Change password' }).click();
      await own.getByText('is not the same as the new password').waitFor();
      await own.getByLabel('New password again').fill(mine);
      await own.getByRole('button', { name: 'Change password' }).click();
      await own.getByRole('status').filter({ hasText: 'Your password is changed.' }).waitFor();
      await logOut(page);
      await submitLogin(page, { ...member, password: mine });
      await menu('Invoices').click();
      await page.getByRole('button', { name: 'New invoice' }).click();
      const category = page.getByLabel('Category, line 1');
      await expect.poll(() => category.locator('option', { hasText: 'Wallcoverings & Murals' }).count()).toBe(1);
      await category.selectOption({ label: 'Wallcoverings & Murals' });
      await page.getByLabel('Client', { exact: true }).selectOption({ index: 1 });
      await page.getByLabel('Description, line 1').fill('Roman blinds');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      // A line without a rate is refused in words a studio uses, under the field.
      await page.getByText('is required').waitFor();
      await page.getByLabel('Rate, line 1').fill('480');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Invoice saved.' }).waitFor();
      const api = async <T,>(url: string): Promise<T> => (await (await page.request.get(`${baseUrl}${url}`)).json()) as T;
      const [filed] = (await api<{ items: { id: string; name: string }[] }>(`/api/categories?q=${encodeURIComponent('wallcoverings')}`)).items;
      const saved = await api<{ lines: { categoryId: string | null; rate: string }[] }>(`/api/documents/${new URL(page.url()).pathname.split('/')[2] ?? ''}`);
      expect(filed?.name).toBe('Wallcoverings & Murals');
      expect(saved.lines).toEqual([expect.objectContaining({ categoryId: filed?.id, rate: '480' })]);

      // The member leaves: the owner removes them, and their password no longer opens the studio.
      await logOut(page);
      await submitLogin(page, DEMO_OWNER);
      await menu('Settings').click();
      expect(await users.getByRole('button', { name: 'Remove owner@demo.studio' }).count()).toBe(0);
      page.once('dialog', (dialog) => void dialog.accept());
      await users.getByRole('button', { name: `Remove ${member.email}` }).click();
      await users.getByRole('status').filter({ hasText: `${member.email} can no longer log in.` }).waitFor();
      await expect.poll(() => users.getByRole('row', { name: new RegExp(member.email.replaceAll('.', '\\.')) }).count()).toBe(0);
      await logOut(page);
      await page.getByLabel('Email').fill(member.email);
      await page.getByLabel('Password').fill(mine);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('alert').filter({ hasText: 'Email or password is not right.' }).waitFor();
    } catch (err) {
      return browser.failWithScreenshot('core-settings-e2e-failure', err);
    }
  });

  it('lets a Canadian studio keep its own tax codes: adds one for another province, files a line under it, and keeps the rates documents use', async () => {
    const { browser } = stack;
    const { page } = browser;
    const canadianOwner: Login = { email: 'owner@demo-ca.studio', password: DEMO_PASSWORD };
    const codes = page.getByRole('region', { name: 'Tax codes' });
    const rowOf = (name: string) => codes.getByRole('row', { name: new RegExp(`^${name.replace('+', '\\+')} `) });
    try {
      await page.context().clearCookies();
      await logIn(page, stack, canadianOwner);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
      await rowOf('ON HST').waitFor();

      // Two taxes, one of them with a rate a studio mistypes first.
      await codes.getByLabel('Tax code name').fill('QC GST+QST');
      await codes.getByLabel('Tax 1 name').fill('GST');
      await codes.getByLabel('Tax 1 rate %').fill('5');
      await codes.getByRole('button', { name: 'Add a tax' }).click();
      await codes.getByLabel('Tax 2 name').fill('QST');
      await codes.getByLabel('Tax 2 rate %').fill('9,975');
      await codes.getByRole('button', { name: 'Add tax code' }).click();
      await codes.getByText('must be a number of 0 or more, with at most 4 decimals, e.g. 12.5').waitFor();
      await codes.getByLabel('Tax 2 rate %').fill('9.975');
      await codes.getByRole('button', { name: 'Add tax code' }).click();
      await codes.getByRole('status').filter({ hasText: 'Tax code “QC GST+QST” added.' }).waitFor();
      // The list is read again after the change, so poll rather than read it once.
      await expect.poll(() => rowOf('QC GST+QST').locator('td').allTextContents()).toEqual(['QC GST+QST', 'GST 5% + QST 9.975%', '14.975%', 'Edit Delete']);
      // The form is empty again, ready for the next code.
      await expect.poll(() => codes.getByLabel('Tax code name').inputValue()).toBe('');

      await codes.getByLabel('Tax code name').fill('NS HST');
      await codes.getByLabel('Tax 1 name').fill('HST');
      await codes.getByLabel('Tax 1 rate %').fill('15');
      await codes.getByRole('button', { name: 'Add tax code' }).click();
      await codes.getByRole('status').filter({ hasText: 'Tax code “NS HST” added.' }).waitFor();

      // Unused, a code goes at once.
      page.once('dialog', (dialog) => void dialog.accept());
      await codes.getByRole('button', { name: 'Delete QC GST+QST' }).click();
      await codes.getByRole('status').filter({ hasText: 'Tax code “QC GST+QST” deleted.' }).waitFor();
      await expect.poll(() => rowOf('QC GST+QST').count()).toBe(0);

      // A line of a new invoice picks the new code.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invoices', exact: true }).click();
      await page.getByRole('button', { name: 'New invoice' }).click();
      await page.getByLabel('Client', { exact: true }).selectOption({ index: 1 });
      await page.getByLabel('Description, line 1').fill('Halifax site visit');
      await page.getByLabel('Rate, line 1').fill('200');
      await page.getByLabel('Tax code, line 1').selectOption({ label: 'NS HST' });
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByRole('status').filter({ hasText: 'Invoice saved.' }).waitFor();

      // Once a document uses it, its rates stay (new rates are a new code) and it cannot be deleted; its name can change.
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
      await codes.getByRole('button', { name: 'Edit NS HST' }).click();
      const edit = codes.getByRole('form', { name: 'Edit NS HST' });
      await edit.getByLabel('Tax 1 rate %').fill('14');
      await edit.getByRole('button', { name: 'Save tax code' }).click();
      await edit.getByText('documents use this tax code; create a new code for new rates').waitFor();
      await edit.getByLabel('Tax 1 rate %').fill('15');
      await edit.getByLabel('Tax code name').fill('Nova Scotia HST');
      await edit.getByRole('button', { name: 'Save tax code' }).click();
      await codes.getByRole('status').filter({ hasText: 'Tax code “Nova Scotia HST” saved.' }).waitFor();
      await expect.poll(() => codes.getByRole('form', { name: 'Add a tax code' }).count()).toBe(1);
      page.once('dialog', (dialog) => void dialog.accept());
      await codes.getByRole('button', { name: 'Delete Nova Scotia HST' }).click();
      await codes.getByRole('alert').filter({ hasText: '“Nova Scotia HST” was not deleted: document lines use this tax code; it cannot be deleted' }).waitFor();
      await expect.poll(() => rowOf('Nova Scotia HST').locator('td').nth(2).textContent()).toBe('15%');
    } catch (err) {
      return browser.failWithScreenshot('core-tax-codes-e2e-failure', err);
    }
  });

  it('lets an owner rename the studio and set its Sales Tax %, which a member sees but cannot change', async () => {
    const { browser, baseUrl } = stack;
    const { page } = browser;
    const panel = page.getByRole('region', { name: 'Organisation' });
    const settings = () => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
    try {
      await page.context().clearCookies();
      await logIn(page, stack, DEMO_OWNER);
      await settings();
      await panel.getByLabel('Sales Tax %').fill('8,875');
      await panel.getByRole('button', { name: 'Save organisation' }).click();
      await panel.getByText('must be a number of 0 or more, with at most 4 decimals, e.g. 12.5').waitFor();

      await panel.getByLabel('Organisation name').fill('Harbor & Pine Interiors Ltd');
      await panel.getByLabel('Sales Tax %').fill('8.875');
      await panel.getByRole('button', { name: 'Save organisation' }).click();
      await panel.getByRole('status').filter({ hasText: 'Organisation saved.' }).waitFor();
      // The sidebar names the studio as it is now, without a reload.
      await expect.poll(() => page.locator('.brand small').textContent()).toBe('Harbor & Pine Interiors Ltd');
      const me = async () => (await (await page.request.get(`${baseUrl}/api/auth/me`)).json()) as { organisation: { name: string; salesTaxRate: string } };
      expect((await me()).organisation).toMatchObject({ name: 'Harbor & Pine Interiors Ltd', salesTaxRate: '8.875' });

      await logOut(page);
      await submitLogin(page, { email: 'designer@demo.studio', password: DEMO_PASSWORD });
      await settings();
      await panel.getByText('Only an owner can rename the studio or change its tax.').waitFor();
      expect(await panel.getByLabel('Sales Tax %').inputValue()).toBe('8.875');
      expect(await panel.getByLabel('Organisation name').isDisabled()).toBe(true);
      expect(await panel.getByRole('button', { name: 'Save organisation' }).count()).toBe(0);
    } catch (err) {
      return browser.failWithScreenshot('core-organisation-e2e-failure', err);
    }
  });
});
