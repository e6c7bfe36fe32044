import { expect, it } from 'vitest';
import { createClient, updateClient } from '../../../src/domain/store/clients.js';
import { ClientInputSchema } from '../../../src/domain/parties.js';
import { createOrganisation } from '../../../src/domain/store/organisations.js';
import { fetchTransport, type QboTransport } from '../../../src/qbo/client/index.js';
import { findPartyDuplicate, guardPartyCreation } from '../../../src/qbo/sync/duplicate-guard.js';
import { PartyLinkService } from '../../../src/qbo/sync/month-end-links.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { ACCOUNTS, ISSUE_DATE, line, SANDBOX_US, US_TAX_CODES, worldsClosedAfterEach, type PushWorld } from '../qbo-push/harness.js';
import { qboUser, type QboUser } from './qbo-user.js';

describeEachDatabase('month-end: link to an existing QuickBooks record', (getDb, dialect) => {
  const newWorld = worldsClosedAfterEach(getDb, dialect);
  const setup = async (): Promise<{ w: PushWorld; user: QboUser; links: PartyLinkService }> => {
    const w = await newWorld({ realmId: SANDBOX_US });
    const user = await qboUser({ db: w.db, dialect, baseUrl: w.emulator.baseUrl, realmId: SANDBOX_US });
    return { w, user, links: new PartyLinkService({ db: w.db, qbo: w.service }) };
  };

  it('finds the record by type-ahead, links it, pushes to it, refuses it for another client, and unlinks', async () => {
    const { w, user, links } = await setup();
    const smith = String((await user.createCustomer('Smith, LLC'))['Id']);
    await user.createCustomer('Jones Design');
    const clientId = await w.client('Smith LLC');
    const otherId = await w.client('Smith Interiors');

    const before = await links.view(w.org.id, 'clients', clientId);
    expect(before).toMatchObject({ ok: true, value: { name: 'Smith LLC', link: null, duplicate: null, company: { realmId: SANDBOX_US, connected: true } } });

    const found = await links.search(w.org.id, 'clients', clientId, 'smith', 1);
    expect(found.ok && found.value.items.map((i) => i.displayName)).toEqual(['Smith, LLC']);

    const linked = await links.link(w.org.id, 'clients', clientId, smith, w.session.userId);
    expect(linked).toMatchObject({ ok: true, value: { link: { qboId: smith, displayName: 'Smith, LLC', active: true } } });
    expect(linked.ok && linked.value.link?.url).toContain(smith);

    const again = await links.search(w.org.id, 'clients', otherId, 'Smith', 1);
    expect(again.ok && again.value.items[0]?.linkedTo).toEqual({ id: clientId, name: 'Smith LLC' });
    const refused = await links.link(w.org.id, 'clients', otherId, smith, w.session.userId);
    expect(refused).toEqual({
      ok: false,
      error: {
        kind: 'conflict',
        message: 'QuickBooks customer “Smith, LLC” is already linked to the client “Smith LLC”. Unlink it there first, or pick another record.',
      },
    });

    await w.map({ defaultIncomeAccountId: ACCOUNTS.designServices }, { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null });
    const doc = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '100')] });
    const { job, state } = await w.push(doc.id);
    expect({ status: job.status, message: job.qbo_message }).toEqual({ status: 'pushed', message: null });
    expect(state?.party).toMatchObject({ qboId: smith, action: 'remembered' });
    expect(w.qbo('Customer').filter((c) => String(c['DisplayName']).toLowerCase().startsWith('smith'))).toHaveLength(1);

    const unlinked = await links.unlink(w.org.id, 'clients', clientId);
    expect(unlinked).toMatchObject({ ok: true, value: { link: null } });
    const rows = await w.db.selectFrom('qbo_id_map').selectAll().where('org_id', '=', w.org.id).where('local_id', '=', clientId).execute();
    expect(rows).toEqual([]);
    expect((await links.link(w.org.id, 'clients', otherId, smith, w.session.userId)).ok).toBe(true);
  });

  it('says what QuickBooks could not do, keeps the link, and refuses what has nothing to act on', async () => {
    // QuickBooks refuses every read while `failing`: a business validation fault, which no retry mends.
    let failing = false;
    const inner = fetchTransport();
    const refusal = { Fault: { Error: [{ Message: 'A business validation error has occurred while processing your request', Detail: 'Business Validation Error: Unexpected Internal Error. (-30035)', code: '6000', element: '' }], type: 'ValidationFault' } };
    const transport: QboTransport = {
      send: (req) =>
        failing && req.method === 'GET'
          ? Promise.resolve(new Response(JSON.stringify(refusal), { status: 400, headers: { 'content-type': 'application/json' } }))
          : inner.send(req),
    };
    const w = await newWorld({ realmId: SANDBOX_US, transport });
    const user = await qboUser({ db: w.db, dialect, baseUrl: w.emulator.baseUrl, realmId: SANDBOX_US });
    const links = new PartyLinkService({ db: w.db, qbo: w.service });
    const orchard = String((await user.createCustomer('Orchard Lane Ltd'))['Id']);
    const clientId = await w.client('Orchard Lane');
    const nothingFlagged = { ok: false, error: { kind: 'conflict', message: 'No push has flagged this name as a possible duplicate.' } };
    expect(await links.createAnyway(w.org.id, 'clients', clientId, w.session.userId)).toEqual(nothingFlagged);
    expect((await links.link(w.org.id, 'clients', clientId, orchard, w.session.userId)).ok).toBe(true);

    failing = true;
    const view = await links.view(w.org.id, 'clients', clientId);
    expect(view).toMatchObject({ ok: true, value: { link: { qboId: orchard, displayName: null, active: null, url: null } } });
    expect(view.ok && view.value.notice).toMatch(/^QuickBooks could not show the linked customer just now: A business validation error has occurred/);
    const search = await links.search(w.org.id, 'clients', clientId, 'orchard', 1);
    expect(search).toMatchObject({ ok: false, error: { kind: 'qbo' } });
    expect(search.ok ? '' : search.error.message).toMatch(/^QuickBooks: A business validation error has occurred/);
    const relink = await links.link(w.org.id, 'clients', clientId, orchard, w.session.userId);
    expect(relink).toMatchObject({ ok: false, error: { kind: 'qbo' } });
    failing = false;

    // Disconnected: the link is still shown (nothing is deleted), without asking QuickBooks about it.
    await w.service.disconnect(w.org.id);
    const offline = await links.view(w.org.id, 'clients', clientId);
    expect(offline).toMatchObject({ ok: true, value: { company: { realmId: SANDBOX_US, connected: false }, link: { qboId: orchard, displayName: null }, notice: null } });
    const offlineSearch = await links.search(w.org.id, 'clients', clientId, 'orchard', 1);
    expect(offlineSearch).toMatchObject({ ok: false, error: { kind: 'conflict', message: 'QuickBooks is not connected.' } });

    // A studio that never connected has nothing to unlink and nothing flagged.
    const fresh = await createOrganisation(w.db, { name: 'Never Connected', country: 'US', homeCurrency: 'USD', salesTaxRate: '0' });
    const freshClient = (await createClient(w.db, fresh.id, ClientInputSchema.parse({ clientInformation: { name: 'Pine Hall' } }))).id;
    expect(await links.view(fresh.id, 'clients', freshClient)).toMatchObject({ ok: true, value: { company: null, link: null, duplicate: null, notice: null } });
    expect(await links.unlink(fresh.id, 'clients', freshClient)).toEqual({ ok: false, error: { kind: 'conflict', message: 'QuickBooks was never connected, so there is nothing to unlink.' } });
    expect(await links.createAnyway(fresh.id, 'clients', freshClient, w.session.userId)).toEqual(nothingFlagged);
    expect(await links.view(fresh.id, 'clients', clientId)).toEqual({ ok: false, error: { kind: 'not_found', message: 'No such client in your organisation' } });
  });

  it('pages the type-ahead and refuses unknown, inactive and foreign records', async () => {
    const { w, user, links } = await setup();
    await user.createCustomers(Array.from({ length: 23 }, (_, i) => `Paged ${String(i + 1).padStart(2, '0')}`));
    const clientId = await w.client('Someone');
    const first = await links.search(w.org.id, 'clients', clientId, 'Paged', 1);
    const second = await links.search(w.org.id, 'clients', clientId, 'Paged', 2);
    expect(first.ok && { n: first.value.items.length, more: first.value.hasMore, head: first.value.items[0]?.displayName }).toEqual({ n: 20, more: true, head: 'Paged 01' });
    expect(second.ok && { n: second.value.items.length, more: second.value.hasMore }).toEqual({ n: 3, more: false });

    const missing = await links.link(w.org.id, 'clients', clientId, '99999', w.session.userId);
    expect(missing.ok ? null : missing.error.kind).toBe('conflict');
    expect(missing.ok ? '' : missing.error.message).toMatch(/^QuickBooks has no customer with id 99999/);

    const gone = String((await user.createCustomer('Gone Studio'))['Id']);
    const current = await user.read('Customer', gone);
    await user.call('POST', 'customer', { Id: gone, SyncToken: current['SyncToken'], Active: false, sparse: true });
    const inactive = await links.link(w.org.id, 'clients', clientId, gone, w.session.userId);
    expect(inactive.ok ? '' : inactive.error.message).toContain('is inactive');

    const vendorId = await w.vendor('Fabric Co');
    const vendorView = await links.view(w.org.id, 'vendors', vendorId);
    expect(vendorView.ok && vendorView.value.name).toBe('Fabric Co');
    expect((await links.view(w.org.id, 'clients', vendorId)).ok).toBe(false);
    const other = await setup();
    expect(await other.links.view(other.w.org.id, 'clients', clientId)).toMatchObject({ ok: false, error: { kind: 'not_found' } });
  });

  it('stops a creation next to a close name until the user links or chooses Create anyway', async () => {
    const { w, user, links } = await setup();
    const near = String((await user.createCustomer('Smith, LLC'))['Id']);
    const clientId = await w.client('Smith LLC');
    const client = await w.service.getClientFor(w.org.id);
    if (!client.ok) throw client.error;
    const deps = { db: w.db, client: client.value, scope: { orgId: w.org.id, realmId: SANDBOX_US } };
    const subject = { role: 'customer' as const, localId: clientId, name: 'Smith LLC' };
    const stopMessage = async (name: string) => {
      const guarded = await guardPartyCreation(deps, { ...subject, name });
      return guarded.ok ? null : guarded.error.message;
    };

    const stopped = await guardPartyCreation(deps, subject);
    expect(stopped).toMatchObject({
      ok: false,
      error: { code: 'possible_duplicate', title: 'Possible duplicate', retryable: false, element: 'clientInformation.name', detail: `Close customer names in QuickBooks: “Smith, LLC” (id ${near})` },
    });
    expect(await stopMessage('Smith LLC')).toContain('“Smith, LLC”');
    const view = await links.view(w.org.id, 'clients', clientId);
    expect(view.ok && view.value.duplicate).toMatchObject({ status: 'pending', stale: false, candidates: [{ qboId: near, displayName: 'Smith, LLC' }] });

    // Create anyway holds for this name only: a rename to a name with other letters asks again.
    const chosen = await links.createAnyway(w.org.id, 'clients', clientId, w.session.userId);
    const decidedOn = chosen.ok ? chosen.value.duplicate?.decidedAt?.slice(0, 10) : undefined;
    expect(decidedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await guardPartyCreation(deps, subject)).toEqual({
      ok: true,
      value: {
        kind: 'create_anyway',
        note: `Created as a new QuickBooks customer because Create anyway was chosen by ${w.session.userId}@example.test on ${decidedOn}, although QuickBooks also has “Smith, LLC”.`,
      },
    });
    expect((await guardPartyCreation(deps, { ...subject, name: 'SMITH-LLC' })).ok).toBe(true);
    await user.createCustomer('Smith Co.');
    const renamed = await updateClient(w.db, w.org.id, clientId, {
      fullName: 'x',
      clientInformation: { name: 'Smith Co', email: 'a@b.example', phone: '', billingAddress: { line1: '', city: '', region: '', postalCode: '', country: 'US' } },
    });
    expect(renamed.ok).toBe(true);
    const stale = await links.view(w.org.id, 'clients', clientId);
    expect(stale.ok && stale.value.duplicate).toMatchObject({ status: 'create_anyway', stale: true });
    expect(await links.createAnyway(w.org.id, 'clients', clientId, w.session.userId)).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    expect(await stopMessage('Smith Co')).toContain('“Smith Co.”');

    // Link settles it: the flag is gone and the record is remembered.
    const linked = await links.link(w.org.id, 'clients', clientId, near, w.session.userId);
    expect(linked).toMatchObject({ ok: true, value: { duplicate: null, link: { qboId: near } } });
    expect(await findPartyDuplicate(w.db, deps.scope, 'customer', clientId)).toBeUndefined();
  });

  it('finds a close name after a customer is renamed in QuickBooks, and nothing for unrelated names', async () => {
    const { w, user } = await setup();
    const other = String((await user.createCustomer('Jones Design'))['Id']);
    const clientId = await w.client('Brown & Co');
    const client = await w.service.getClientFor(w.org.id);
    if (!client.ok) throw client.error;
    const deps = { db: w.db, client: client.value, scope: { orgId: w.org.id, realmId: SANDBOX_US } };
    const subject = { role: 'customer' as const, localId: clientId, name: 'Brown & Co' };
    expect(await guardPartyCreation(deps, subject)).toEqual({ ok: true, value: { kind: 'clear' } });
    await user.rename('Customer', other, 'Brown and Co');
    expect(await guardPartyCreation(deps, subject)).toEqual({ ok: true, value: { kind: 'clear' } });
    await user.rename('Customer', other, 'BROWN CO.');
    const stopped = await guardPartyCreation(deps, subject);
    expect(stopped.ok ? '' : stopped.error.message).toContain('“BROWN CO.”');
  });
});
