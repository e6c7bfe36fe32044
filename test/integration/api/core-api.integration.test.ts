import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StartedEmulator } from '../../../src/emulator/index.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { PASSWORD, startApi, startTestEmulator, type ApiHarness, type Caller, type Studio } from './harness.js';

let emulator: StartedEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator.close();
});

interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
interface Named {
  id: string;
  name: string;
}
interface Doc {
  id: string;
  type: string;
  number: string;
  status: string;
  revision: number;
  isRetainer: boolean;
  lines: { id: string; amount: string; taxable: boolean }[];
  attachments: { name: string }[];
  totals: { lineAmountsTotal: string; subtotal: string; taxTotal: string; total: string; taxes: { component: string; amount: string }[] };
}

/** Fills `:params` with a placeholder, so every registered route can be called. */
function concrete(url: string): string {
  return url.replace(/:(\w+)/g, 'x');
}

describeEachDatabase('core API', (getDb, dialect) => {
  let api: ApiHarness;
  let us: Studio;
  let ca: Studio;
  let owner: Caller;

  beforeAll(async () => {
    api = await startApi({ db: getDb().db, dialect, emulator });
    [us, ca] = [await api.studio({ country: 'US' }), await api.studio({ country: 'CA' })];
    owner = us.owner;
  });
  afterAll(async () => {
    await api.close();
  });

  it('answers 401 on every authenticated route without a valid session', async () => {
    const protectedRoutes = api.app.routeTable.filter((r) => r.auth && r.method !== 'HEAD');
    expect(protectedRoutes.length).toBeGreaterThan(35);
    for (const route of protectedRoutes) {
      const method = route.method as 'GET' | 'POST' | 'PUT' | 'DELETE';
      for (const headers of [{}, { cookie: 'wr_session=not-a-session' }]) {
        const res = await api.app.inject({ method, url: concrete(route.url), headers });
        expect(res.statusCode, `${route.method} ${route.url}`).toBe(401);
        expect(res.json()).toEqual({ error: 'unauthorized', message: 'log in first' });
      }
    }
    const me = await owner.request('GET', '/api/auth/me');
    expect(me.statusCode).toBe(200);
    await getDb().db.updateTable('sessions').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('user_id', '=', me.json<{ user: { id: string } }>().user.id).execute();
    expect((await owner.request('GET', '/api/auth/me')).statusCode).toBe(401);
    owner = (await api.studio({ country: 'US' })).owner;
    us = { ...us, owner };
  });

  it('creates, reads, replaces, pages, searches and deletes clients', async () => {
    const names = ["O'Brien Interiors", 'Smith LLC', 'Smith, LLC', 'Acme Design', 'Birch & Co', 'Cedar Studio', 'Delta Homes'];
    const created: { id: string; fullName: string; clientInformation: { name: string } }[] = [];
    for (const name of names) {
      created.push(
        await owner.json('POST', '/api/clients', {
          fullName: `${name} (full)`,
          clientInformation: { name, email: 'hello@example.test', billingAddress: { line1: '1 Main St', city: 'Austin' } },
        }),
      );
    }
    const obrien = created[0];
    if (!obrien) throw new Error('no client');
    // The help page's gotcha: fullName and clientInformation.name are two separate fields.
    expect(obrien).toMatchObject({ fullName: "O'Brien Interiors (full)", clientInformation: { name: "O'Brien Interiors", phone: '' } });

    const seen: string[] = [];
    for (let page = 1; page <= 3; page += 1) {
      const res = await owner.json<Page<{ id: string; clientInformation: { name: string } }>>('GET', `/api/clients?page=${page}&pageSize=3`);
      expect(res).toMatchObject({ total: 7, page, pageSize: 3 });
      expect(res.items.length).toBe(page < 3 ? 3 : 1);
      seen.push(...res.items.map((c) => c.clientInformation.name));
    }
    expect(seen).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    const smith = await owner.json<Page<unknown>>('GET', `/api/clients?q=${encodeURIComponent('smith')}`);
    expect(smith.total).toBe(2);
    expect((await owner.json<Page<unknown>>('GET', `/api/clients?q=${encodeURIComponent("o'brien")}`)).total).toBe(1);
    expect((await owner.json<Page<unknown>>('GET', `/api/clients?q=${encodeURIComponent('%')}`)).total).toBe(0);

    const replaced = await owner.json('PUT', `/api/clients/${obrien.id}`, { clientInformation: { name: "O'Brien Interiors Ltd" } });
    expect(replaced).toMatchObject({ id: obrien.id, fullName: '', clientInformation: { name: "O'Brien Interiors Ltd", email: '' } });
    expect(await owner.json('GET', `/api/clients/${obrien.id}`)).toEqual(replaced);
    expect((await owner.request('DELETE', `/api/clients/${obrien.id}`)).statusCode).toBe(204);
    expect((await owner.request('GET', `/api/clients/${obrien.id}`)).statusCode).toBe(404);
    expect((await owner.request('DELETE', `/api/clients/${obrien.id}`)).statusCode).toBe(404);
  });

  it('creates, pages and deletes vendors and categories; category names are unique per organisation', async () => {
    for (const name of ['Hudson Lighting', 'Arteriors', 'Loloi Rugs', 'Visual Comfort']) {
      await owner.json('POST', '/api/vendors', { name, email: '', address: { city: 'Dallas' } });
    }
    const vendors = await owner.json<Page<Named>>('GET', '/api/vendors?pageSize=2&page=2');
    expect(vendors).toMatchObject({ total: 4, page: 2, pageSize: 2 });
    expect(vendors.items.map((v) => v.name)).toEqual(['Loloi Rugs', 'Visual Comfort']);
    const vendor = vendors.items[0];
    if (!vendor) throw new Error('no vendor');
    expect(await owner.json('PUT', `/api/vendors/${vendor.id}`, { name: 'Loloi', phone: '555-0100' })).toMatchObject({ name: 'Loloi', phone: '555-0100' });
    expect((await owner.request('DELETE', `/api/vendors/${vendor.id}`)).statusCode).toBe(204);
    expect((await owner.json<Page<Named>>('GET', '/api/vendors')).total).toBe(3);

    const furniture = await owner.json<Named>('POST', '/api/categories', { name: 'Furniture' });
    await owner.json('POST', '/api/categories', { name: 'Lighting' });
    await owner.json('POST', '/api/categories', { name: 'Design Services' });
    const duplicate = await owner.request('POST', '/api/categories', { name: 'Furniture' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ error: 'conflict', field: 'name' });
    // Another organisation may use the same name.
    await ca.owner.json('POST', '/api/categories', { name: 'Furniture' });
    expect((await owner.json<Page<Named>>('GET', '/api/categories?q=light')).items.map((c) => c.name)).toEqual(['Lighting']);
    expect(await owner.json('PUT', `/api/categories/${furniture.id}`, { name: 'Furnishings' })).toMatchObject({ name: 'Furnishings' });
    expect((await owner.request('DELETE', `/api/categories/${furniture.id}`)).statusCode).toBe(204);
  });

  it('keeps Canadian named tax codes with their components, and locks the rates once used', async () => {
    const codes = await ca.owner.json<Page<Named & { components: { name: string; rate: string }[]; taxable: boolean }>>('GET', '/api/tax-codes');
    expect(codes.items.map((c) => c.name).sort()).toEqual(['BC GST+PST', 'Exempt', 'GST only', 'ON HST']);
    expect(codes.items.find((c) => c.name === 'Exempt')?.taxable).toBe(false);
    const qc = await ca.owner.json<Named>('POST', '/api/tax-codes', { name: 'QC GST+QST', components: [{ name: 'GST', rate: '5' }, { name: 'QST', rate: '9.975' }] });
    expect(await ca.owner.json('GET', `/api/tax-codes/${qc.id}`)).toMatchObject({ components: [{ name: 'GST', rate: '5' }, { name: 'QST', rate: '9.975' }], taxable: true });
    expect((await ca.owner.json<Page<unknown>>('GET', '/api/tax-codes?pageSize=2&page=3')).items).toHaveLength(1);

    const client = await ca.owner.json<{ id: string }>('POST', '/api/clients', { clientInformation: { name: 'Maple Lofts' } });
    await ca.owner.json('POST', '/api/documents', {
      type: 'invoice',
      clientId: client.id,
      issueDate: '2025-03-01',
      lines: [{ description: 'Chair', quantity: '1', rate: '10', taxCodeId: qc.id }],
    });
    const change = await ca.owner.request('PUT', `/api/tax-codes/${qc.id}`, { name: 'QC', components: [{ name: 'GST', rate: '6' }] });
    expect(change.statusCode).toBe(409);
    expect((await ca.owner.request('DELETE', `/api/tax-codes/${qc.id}`)).statusCode).toBe(409);
    const unused = await ca.owner.json<Named>('POST', '/api/tax-codes', { name: 'Temp', components: [] });
    expect((await ca.owner.request('DELETE', `/api/tax-codes/${unused.id}`)).statusCode).toBe(204);
    // Blank names are refused under the field they belong to, in the words of the other forms.
    const blank = await ca.owner.request('POST', '/api/tax-codes', { name: ' ', components: [{ name: 'GST', rate: '5' }, { name: '', rate: '7' }] });
    expect(blank.json<{ errors: { path: string; message: string }[] }>().errors.map(({ path, message }) => [path, message])).toEqual([
      ['name', 'is required'],
      ['components.1.name', 'is required'],
    ]);
  });

  it('computes document totals with exact decimals and rounds at the subtotal', async () => {
    const client = await owner.json<{ id: string }>('POST', '/api/clients', { clientInformation: { name: 'Totals Client' } });
    const doc = await owner.json<Doc>('POST', '/api/documents', {
      type: 'invoice',
      clientId: client.id,
      issueDate: '2025-04-01',
      dueDate: '2025-05-01',
      salesTaxRate: '8.25',
      lines: [
        { description: 'Sofa', quantity: '3', rate: '19.99', taxable: true },
        { description: 'Design hours', quantity: '1.5', rate: '10.333', taxable: false },
      ],
      attachments: [{ name: 'floorplan.pdf', size: 1024, mime: 'application/pdf' }],
    });
    // 3 × 19.99 = 59.97 (taxed); 1.5 × 10.333 = 15.4995 → line 15.50; subtotal round(75.4695) = 75.47;
    // tax round(59.97 × 8.25%) = round(4.947525) = 4.95; total 80.42.
    expect(doc.lines.map((l) => [l.amount, l.taxable])).toEqual([
      ['59.97', true],
      ['15.50', false],
    ]);
    expect(doc.totals).toMatchObject({ lineAmountsTotal: '75.47', subtotal: '75.47', taxTotal: '4.95', total: '80.42' });
    expect(doc).toMatchObject({ type: 'invoice', status: 'draft', revision: 1, number: 'INV-1001', attachments: [{ name: 'floorplan.pdf' }] });

    const [hst, bc, exempt] = await Promise.all(
      ['ON HST', 'BC GST+PST', 'Exempt'].map(async (name) => (await ca.owner.json<Page<Named>>('GET', `/api/tax-codes?q=${encodeURIComponent(name)}`)).items[0]?.id),
    );
    const caClient = await ca.owner.json<{ id: string }>('POST', '/api/clients', { clientInformation: { name: 'Totals CA' } });
    const caDoc = await ca.owner.json<Doc>('POST', '/api/documents', {
      type: 'estimate',
      clientId: caClient.id,
      issueDate: '2025-04-01',
      lines: [
        { quantity: '2', rate: '50', taxCodeId: hst },
        { quantity: '1', rate: '200', taxCodeId: bc },
        { quantity: '1', rate: '30', taxCodeId: exempt },
      ],
    });
    expect(caDoc.totals).toMatchObject({ subtotal: '330.00', taxTotal: '37.00', total: '367.00' });
    expect(caDoc.totals.taxes.map((t) => [t.component, t.amount])).toEqual([
      ['HST', '13.00'],
      ['GST', '10.00'],
      ['PST', '14.00'],
    ]);
    expect(caDoc.lines.map((l) => l.taxable)).toEqual([true, true, false]);
  });

  it('walks the lifecycle: draft → final for invoices and estimates, draft → approved for purchase orders', async () => {
    const client = await owner.json<{ id: string }>('POST', '/api/clients', { clientInformation: { name: 'Lifecycle Client' } });
    const vendor = await owner.json<{ id: string }>('POST', '/api/vendors', { name: 'Lifecycle Vendor' });
    const line = { description: 'Lamp', quantity: '2', rate: '45.50' };
    const invoice = await owner.json<Doc>('POST', '/api/documents', { type: 'invoice', clientId: client.id, issueDate: '2025-01-10', lines: [] });

    const empty = await owner.request('POST', `/api/documents/${invoice.id}/finalize`);
    expect(empty.statusCode).toBe(409);
    expect(empty.json()).toMatchObject({ error: 'invalid_transition', message: 'a document needs at least one line before it is issued' });

    const edited = await owner.json<Doc>('PUT', `/api/documents/${invoice.id}`, { type: 'invoice', clientId: client.id, issueDate: '2025-01-10', lines: [line], revision: 1 });
    expect(edited).toMatchObject({ revision: 2, totals: { subtotal: '91.00' } });
    const stale = await owner.request('PUT', `/api/documents/${invoice.id}`, { type: 'invoice', clientId: client.id, issueDate: '2025-01-10', lines: [line], revision: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'conflict', field: 'revision' });
    const retype = await owner.request('PUT', `/api/documents/${invoice.id}`, { type: 'estimate', clientId: client.id, issueDate: '2025-01-10' });
    expect(retype.json()).toMatchObject({ error: 'invalid_body', field: 'type' });

    expect((await owner.request('POST', `/api/documents/${invoice.id}/approve`)).statusCode).toBe(409);
    const final = await owner.json<Doc>('POST', `/api/documents/${invoice.id}/finalize`);
    expect(final).toMatchObject({ status: 'final', revision: 3 });
    expect((await owner.request('POST', `/api/documents/${invoice.id}/finalize`)).json()).toMatchObject({ error: 'invalid_transition', message: 'only a draft can be issued' });
    expect((await owner.request('DELETE', `/api/documents/${invoice.id}`)).statusCode).toBe(409);

    const estimate = await owner.json<Doc>('POST', '/api/documents', { type: 'estimate', clientId: client.id, issueDate: '2025-01-10', expirationDate: '2025-02-10', lines: [line] });
    expect(await owner.json<Doc>('POST', `/api/documents/${estimate.id}/finalize`)).toMatchObject({ status: 'final' });

    const po = await owner.json<Doc>('POST', '/api/documents', { type: 'purchase_order', vendorId: vendor.id, issueDate: '2025-01-10', lines: [line] });
    expect((await owner.request('POST', `/api/documents/${po.id}/finalize`)).statusCode).toBe(409);
    expect(await owner.json<Doc>('POST', `/api/documents/${po.id}/approve`)).toMatchObject({ status: 'approved', number: 'PO-1001' });

    const retainer = await owner.json<Doc>('POST', '/api/documents', { type: 'invoice', clientId: client.id, issueDate: '2025-01-11', isRetainer: true, number: 'DEP-7', lines: [line] });
    expect(retainer).toMatchObject({ isRetainer: true, number: 'DEP-7' });
    const taken = await owner.request('POST', '/api/documents', { type: 'invoice', clientId: client.id, issueDate: '2025-01-11', number: 'DEP-7' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ error: 'conflict', field: 'number' });
    // Numbers are unique per organisation and type: an estimate may share it, and so may another studio's invoice.
    expect(await owner.json<Doc>('POST', '/api/documents', { type: 'estimate', clientId: client.id, issueDate: '2025-01-11', number: 'DEP-7' })).toMatchObject({ number: 'DEP-7' });
    const caClient = await ca.owner.json<{ id: string }>('POST', '/api/clients', { clientInformation: { name: 'Number Twin' } });
    expect(await ca.owner.json<Doc>('POST', '/api/documents', { type: 'invoice', clientId: caClient.id, issueDate: '2025-01-11', number: 'DEP-7' })).toMatchObject({ number: 'DEP-7' });
    expect((await owner.request('DELETE', `/api/documents/${retainer.id}`)).statusCode).toBe(204);

    const finals = await owner.json<Page<{ id: string; status: string }>>('GET', `/api/documents?type=invoice&status=final&clientId=${client.id}`);
    expect(finals.items.map((d) => d.id)).toEqual([invoice.id]);
    const byVendor = await owner.json<Page<{ id: string }>>('GET', `/api/documents?vendorId=${vendor.id}`);
    expect(byVendor.items.map((d) => d.id)).toEqual([po.id]);
    const used = await owner.request('DELETE', `/api/clients/${client.id}`);
    expect(used.statusCode).toBe(409);
  });

  it('lets only an owner change the organisation or add users; members read and work on documents', async () => {
    const studio = await api.studio({ country: 'US' });
    const member = studio.member;
    const org = await member.json<{ name: string; country: string; homeCurrency: string; taxModel: string }>('GET', '/api/organisation');
    expect(org).toMatchObject({ country: 'US', homeCurrency: 'USD', taxModel: 'sales_tax' });
    expect(await ca.member.json('GET', '/api/organisation')).toMatchObject({ country: 'CA', homeCurrency: 'CAD', taxModel: 'tax_codes' });

    const rename = await member.request('PUT', '/api/organisation', { name: 'Renamed by a member', salesTaxRate: '1' });
    expect(rename.statusCode).toBe(403);
    expect(rename.json()).toEqual({ error: 'forbidden', message: 'only an owner can do this' });
    const invite = await member.request('POST', '/api/users', { email: 'new-member@example.test', password: 'long enough pw' });
    expect(invite.statusCode).toBe(403);
    expect((await member.json<{ name: string }>('GET', '/api/organisation')).name).toBe(org.name);
    const users = await member.json<{ items: { email: string; role: string }[] }>('GET', '/api/users');
    expect(users.items.map((u) => u.role).sort()).toEqual(['member', 'owner']);

    const owned = await studio.owner.json<{ email: string; role: string }>('POST', '/api/users', { email: `second-${studio.orgId}@example.test`, password: 'long enough pw', role: 'member' });
    expect(owned).toMatchObject({ role: 'member' });
    expect(await studio.owner.json('PUT', '/api/organisation', { name: org.name, salesTaxRate: '8.25' })).toMatchObject({ salesTaxRate: '8.25' });
    const client = await member.json<{ id: string }>('POST', '/api/clients', { clientInformation: { name: 'Member Client' } });
    expect((await member.json<Doc>('POST', '/api/documents', { type: 'invoice', clientId: client.id, issueDate: '2025-02-01', lines: [{ quantity: '1', rate: '2' }] })).status).toBe('draft');
  });

  it('lets a user change their own password: the old one stops working and their other sessions end', async () => {
    const studio = await api.studio({ country: 'US' });
    const email = `changer-${studio.orgId}@example.test`;
    await studio.owner.json('POST', '/api/users', { email, password: PASSWORD, role: 'member' });
    const here = await api.loggedIn(email);
    const elsewhere = await api.loggedIn(email);
    const change = (body: object) => here.request('POST', '/api/auth/password', body);

    const wrong = await change({ currentPassword: 'not my password', newPassword: 'a fresh long password' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ error: 'invalid_body', field: 'currentPassword', message: 'currentPassword: is not your current password' });
    expect((await change({ currentPassword: PASSWORD, newPassword: 'short' })).json()).toMatchObject({ error: 'invalid_body', field: 'newPassword' });
    expect((await elsewhere.request('GET', '/api/auth/me')).statusCode).toBe(200);

    expect((await change({ currentPassword: PASSWORD, newPassword: 'a fresh long password' })).statusCode).toBe(204);
    expect((await here.request('GET', '/api/auth/me')).statusCode).toBe(200);
    expect((await elsewhere.request('GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await api.login(email)).statusCode).toBe(401);
    expect((await api.login(email, 'a fresh long password')).statusCode).toBe(200);
    // Nobody else's password moved.
    expect((await api.login(studio.owner.email)).statusCode).toBe(200);
  });

  it('lets an owner make a member an owner and back, at once, but not change their own role', async () => {
    const studio = await api.studio({ country: 'US' });
    const email = `promoted-${studio.orgId}@example.test`;
    const added = await studio.owner.json<{ id: string }>('POST', '/api/users', { email, password: PASSWORD, role: 'member' });
    const promoted = await api.loggedIn(email);
    const setRole = (caller: Caller, id: string, role: string) => caller.request('PUT', `/api/users/${id}/role`, { role });
    const rename = () => promoted.request('PUT', '/api/organisation', { name: 'Renamed by the new owner', salesTaxRate: '8' });

    expect((await rename()).statusCode).toBe(403);
    expect((await setRole(studio.member, added.id, 'owner')).statusCode).toBe(403);
    expect((await setRole(studio.owner, added.id, 'owner')).json()).toEqual({ id: added.id, email, role: 'owner' });
    // The session already open carries the new role on its next request.
    expect((await rename()).statusCode).toBe(200);
    const ownerId = (await studio.owner.json<{ user: { id: string } }>('GET', '/api/auth/me')).user.id;
    expect((await setRole(studio.owner, ownerId, 'member')).json()).toEqual({ error: 'conflict', message: 'you cannot change your own role; another owner can' });
    expect((await setRole(promoted, ownerId, 'member')).json()).toMatchObject({ role: 'member' });
    expect((await studio.owner.request('PUT', '/api/organisation', { name: 'Back', salesTaxRate: '8' })).statusCode).toBe(403);
    expect((await setRole(promoted, added.id, 'boss')).statusCode).toBe(400);
  });

  it('lets an owner remove a user: no more log-ins or sessions, the same row back when added again', async () => {
    const studio = await api.studio({ country: 'US' });
    const email = `leaving-${studio.orgId}@example.test`;
    const added = await studio.owner.json<{ id: string }>('POST', '/api/users', { email, password: PASSWORD, role: 'member' });
    const leaving = await api.loggedIn(email);
    const remove = (caller: Caller, id: string) => caller.request('DELETE', `/api/users/${id}`);

    expect((await remove(studio.member, added.id)).statusCode).toBe(403);
    const ownerId = (await studio.owner.json<{ user: { id: string } }>('GET', '/api/auth/me')).user.id;
    expect((await remove(studio.owner, ownerId)).json()).toEqual({ error: 'conflict', message: 'you cannot remove yourself; another owner can' });

    expect((await remove(studio.owner, added.id)).statusCode).toBe(204);
    expect((await leaving.request('GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await api.login(email)).statusCode).toBe(401);
    expect((await studio.owner.json<{ items: { email: string }[] }>('GET', '/api/users')).items.map((u) => u.email)).not.toContain(email);
    expect((await remove(studio.owner, added.id)).statusCode).toBe(404);
    // Another studio cannot take the login while the row exists; this studio gets the same user back.
    const other = await api.studio({ country: 'US' });
    expect((await other.owner.request('POST', '/api/users', { email, password: PASSWORD })).statusCode).toBe(409);
    const back = await studio.owner.json<{ id: string; role: string }>('POST', '/api/users', { email, password: 'a brand new password', role: 'owner' });
    expect(back).toMatchObject({ id: added.id, role: 'owner' });
    expect((await api.login(email)).statusCode).toBe(401);
    expect((await api.login(email, 'a brand new password')).statusCode).toBe(200);
  });

  it('pages documents newest first', async () => {
    const client = await owner.json<{ id: string }>('POST', '/api/clients', { clientInformation: { name: 'Paging Client' } });
    for (const day of ['01', '02', '03', '04', '05']) {
      await owner.json('POST', '/api/documents', { type: 'estimate', clientId: client.id, issueDate: `2024-06-${day}`, lines: [] });
    }
    const first = await owner.json<Page<{ issueDate: string }>>('GET', `/api/documents?clientId=${client.id}&pageSize=2`);
    const third = await owner.json<Page<{ issueDate: string }>>('GET', `/api/documents?clientId=${client.id}&pageSize=2&page=3`);
    expect(first.total).toBe(5);
    expect(first.items.map((d) => d.issueDate)).toEqual(['2024-06-05', '2024-06-04']);
    expect(third.items.map((d) => d.issueDate)).toEqual(['2024-06-01']);
    expect((await owner.json<Page<unknown>>('GET', `/api/documents?clientId=${client.id}&page=9`)).items).toEqual([]);
  });

  it('searches documents by number, client or vendor name, without case, literally, and only in the studio', async () => {
    const studio = await api.studio({ country: 'US' });
    const o = studio.owner;
    const harbor = await o.json<{ id: string }>('POST', '/api/clients', { clientInformation: { name: 'Harbor & Vine' } });
    const birch = await o.json<{ id: string }>('POST', '/api/clients', { clientInformation: { name: 'Birch Row' } });
    const lumen = await o.json<{ id: string }>('POST', '/api/vendors', { name: 'Lumen_Supply 100%' });
    const invoice = await o.json<Doc>('POST', '/api/documents', { type: 'invoice', clientId: birch.id, issueDate: '2025-03-01', number: 'WR-7781' });
    const estimate = await o.json<Doc>('POST', '/api/documents', { type: 'estimate', clientId: harbor.id, issueDate: '2025-03-02' });
    const harborInvoice = await o.json<Doc>('POST', '/api/documents', { type: 'invoice', clientId: harbor.id, issueDate: '2025-03-03' });
    const po = await o.json<Doc>('POST', '/api/documents', { type: 'purchase_order', vendorId: lumen.id, issueDate: '2025-03-04' });
    const twin = await us.owner.json<{ id: string }>('POST', '/api/clients', { clientInformation: { name: 'Harbor & Vine' } });
    await us.owner.json('POST', '/api/documents', { type: 'invoice', clientId: twin.id, issueDate: '2025-03-05' });

    const found = async (query: string): Promise<string[]> =>
      (await o.json<Page<{ id: string }>>('GET', `/api/documents?${query}`)).items.map((d) => d.id);
    expect(await found(`q=${encodeURIComponent('HARBOR')}`)).toEqual([harborInvoice.id, estimate.id]);
    expect(await found(`q=${encodeURIComponent('  harbor & v ')}`)).toEqual([harborInvoice.id, estimate.id]);
    expect(await found(`q=${encodeURIComponent('wr-77')}`)).toEqual([invoice.id]);
    expect(await found(`q=${encodeURIComponent('supply')}`)).toEqual([po.id]);
    expect(await found(`q=harbor&type=invoice`)).toEqual([harborInvoice.id]);
    // LIKE's wildcards are searched for as themselves.
    expect(await found(`q=${encodeURIComponent('_')}`)).toEqual([po.id]);
    expect(await found(`q=${encodeURIComponent('100%')}`)).toEqual([po.id]);
    expect(await found(`q=${encodeURIComponent('h%vine')}`)).toEqual([]);
    expect(await found(`q=${encodeURIComponent('nothing like it')}`)).toEqual([]);
  });

  it('answers bad input with 400 {error, field, message}', async () => {
    const body = await owner.request('POST', '/api/clients', { clientInformation: { name: 42 } });
    expect(body.statusCode).toBe(400);
    expect(body.json()).toMatchObject({ error: 'invalid_body', field: 'clientInformation.name' });
    expect(body.json<{ message: string }>().message).toMatch(/^clientInformation\.name: /);

    const extra = await owner.request('POST', '/api/vendors', { name: 'V', iban: 'x' });
    expect(extra.json()).toMatchObject({ error: 'invalid_body', field: 'iban' });

    const line = await owner.request('POST', '/api/documents', { type: 'invoice', clientId: 'c', issueDate: '2025-01-01', lines: [{ quantity: '-1', rate: '1' }] });
    expect(line.json()).toMatchObject({ error: 'invalid_body', field: 'lines.0.quantity' });

    // Bounded percentages: a malformed value is a 400 naming the field, never a crash in the bound check.
    const malformed: [string, string, unknown][] = [
      ['POST', '/api/documents', { type: 'invoice', clientId: 'c', issueDate: '2025-01-01', lines: [{ quantity: '1', rate: '1', vendorDiscountPercent: 'ten' }] }],
      ['POST', '/api/documents', { type: 'invoice', clientId: 'c', issueDate: '2025-01-01', salesTaxRate: '8,25' }],
      ['POST', '/api/tax-codes', { name: 'Bad', components: [{ name: 'GST', rate: 'five' }] }],
      ['PUT', '/api/organisation', { name: 'Studio', salesTaxRate: '' }],
    ];
    const fields = ['lines.0.vendorDiscountPercent', 'salesTaxRate', 'components.0.rate', 'salesTaxRate'];
    for (const [i, [method, url, payload]] of malformed.entries()) {
      const res = await owner.request(method as 'POST' | 'PUT', url, payload);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      const message = payload === malformed[3]?.[2] ? 'is required' : 'must be a number of 0 or more, with at most 4 decimals, e.g. 12.5';
      expect(res.json()).toMatchObject({ error: 'invalid_body', field: fields[i], message: `${fields[i]}: ${message}` });
    }
    const over = await owner.request('POST', '/api/documents', { type: 'invoice', clientId: 'c', issueDate: '2025-01-01', lines: [{ quantity: '1', rate: '1', vendorDiscountPercent: '100.01' }] });
    expect(over.json()).toMatchObject({ error: 'invalid_body', field: 'lines.0.vendorDiscountPercent', message: 'lines.0.vendorDiscountPercent: must be at most 100' });

    const unknown = await owner.request('POST', '/api/documents', { type: 'invoice', clientId: 'nope', issueDate: '2025-01-01' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: 'invalid_body', field: 'clientId', message: 'clientId: unknown client' });

    const query = await owner.request('GET', '/api/clients?pageSize=1000');
    expect(query.statusCode).toBe(400);
    expect(query.json()).toMatchObject({ error: 'invalid_query', field: 'pageSize' });

    const params = await owner.request('GET', `/api/clients/${'x'.repeat(65)}`);
    expect(params.statusCode).toBe(400);
    expect(params.json()).toMatchObject({ error: 'invalid_params', field: 'id' });

    const json = await owner.request('POST', '/api/clients', '{"clientInformation":', { 'content-type': 'application/json' });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ error: 'invalid_body' });
  });

  it('serves the OpenAPI description at /api/docs, listing every API route', async () => {
    const page = await api.anonymous('GET', '/api/docs');
    expect([200, 302]).toContain(page.statusCode);
    const ui = page.statusCode === 302 ? await api.anonymous('GET', `/api/docs/${page.headers.location ?? ''}`.replace('/api/docs//api/docs', '/api/docs')) : page;
    expect(ui.body).toContain('swagger');

    const doc = (await api.anonymous('GET', '/api/docs/json')).json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    expect(doc.openapi).toMatch(/^3\./);
    const apiRoutes = api.app.routeTable.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs') && r.method !== 'HEAD');
    for (const route of apiRoutes) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.url} missing from OpenAPI`).toBeDefined();
    }
    expect(doc.paths['/api/documents/{id}/finalize']).toBeDefined();
  });
});
