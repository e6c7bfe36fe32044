import { expect, it } from 'vitest';
import { deriveRequestId, fetchTransport, type QboClient, type QboTransport } from '../../../src/qbo/client/index.js';
import { customerSubject, resolveParty } from '../../../src/qbo/sync/party-sync.js';
import { syncParties } from '../../../src/qbo/sync/sync-parties.js';
import { findPartyDuplicate } from '../../../src/qbo/sync/duplicate-guard.js';
import { PartyLinkService } from '../../../src/qbo/sync/month-end-links.js';
import { getClient } from '../../../src/domain/store/clients.js';
import { createOrganisation } from '../../../src/domain/store/organisations.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { ACCOUNTS, ISSUE_DATE, line, SANDBOX_US, US_TAX_CODES, worldsClosedAfterEach, type PushWorld } from './harness.js';

const US_TAX = { kind: 'sales_tax', salesTaxCodeId: US_TAX_CODES.california, exemptTaxCodeId: null } as const;

describeEachDatabase('customer and vendor matching', (getDb, dialect) => {
  const newWorld = worldsClosedAfterEach(getDb, dialect);
  const world = async () => {
    const w = await newWorld({ realmId: SANDBOX_US });
    await w.map({ defaultIncomeAccountId: ACCOUNTS.services, defaultExpenseAccountId: ACCOUNTS.cogs }, US_TAX);
    return w;
  };
  const qboClient = async (w: PushWorld): Promise<QboClient> => {
    const client = await w.service.getClientFor(w.org.id);
    if (!client.ok) throw client.error;
    return client.value;
  };
  /** Puts a record straight into the company, as if someone had typed it in QBO. */
  const inQbo = async (w: PushWorld, entity: 'Customer' | 'Vendor', displayName: string, extra: Record<string, unknown> = {}) =>
    (await qboClient(w)).create(entity, { DisplayName: displayName, ...extra }, { requestId: deriveRequestId('seed', entity, displayName) });
  const customersNamed = (w: PushWorld, pattern: RegExp) => w.qbo('Customer').filter((c) => pattern.test(String(c['DisplayName'])));
  const invoiceFor = async (w: PushWorld, clientId: string) =>
    w.push((await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '10', { taxable: false })] })).id);

  it('matches case-insensitively, trimmed, with apostrophes quoted; "Smith, LLC" is never matched to "Smith LLC"', async () => {
    const w = await world();
    const obrien = await inQbo(w, 'Customer', "o'brien interiors");
    const smith = await inQbo(w, 'Customer', 'Smith LLC');

    const a = await invoiceFor(w, await w.client("O'Brien Interiors"));
    expect(a.state?.party).toMatchObject({ action: 'matched', qboId: obrien.Id });
    const b = await invoiceFor(w, await w.client('  SMITH LLC  '));
    expect(b.state?.party).toMatchObject({ action: 'matched', qboId: smith.Id });

    // A close name is neither matched nor silently created: the push stops and says what to do.
    const c = await invoiceFor(w, await w.client('Smith, LLC'));
    expect(c.job).toMatchObject({ status: 'failed', qbo_code: 'possible_duplicate' });
    expect(c.job.qbo_message).toBe(
      'Possible duplicate: QuickBooks already has the customer “Smith LLC”, whose name differs from “Smith, LLC” only in punctuation, spacing or case. ' +
        'Open the client and choose Link to use that record, or Create anyway.',
    );
    expect(c.job.qbo_detail).toBe(`Close customer names in QuickBooks: “Smith LLC” (id ${smith.Id})`);
    expect(c.state?.error).toMatchObject({ code: 'possible_duplicate', title: 'Possible duplicate', element: 'clientInformation.name', qboCode: null });

    expect(customersNamed(w, /o'brien/i)).toHaveLength(1);
    expect(customersNamed(w, /^smith,? llc$/i).map((x) => x['DisplayName'])).toEqual(['Smith LLC']);
    expect(w.qbo('Invoice')).toHaveLength(2);
  });

  it('takes the customer spelt as the client when another differs only in inner spaces, in Sync clients as in a push', async () => {
    const w = await world();
    const single = await inQbo(w, 'Customer', 'Marlow Studio');
    const spaced = await inQbo(w, 'Customer', 'Marlow  Studio');
    const synced = await w.client('marlow studio');
    const unclear = await w.client('Marlow   Studio');

    const report = await syncParties({ db: w.db, client: await qboClient(w), scope: { orgId: w.org.id, realmId: w.realmId } }, 'customer');
    if (!report.ok) throw new Error(report.error.message);
    expect(report.value.matched.find((m) => m.localId === synced)).toMatchObject({ qboId: single.Id, action: 'matched' });
    // Spelt like neither: the sync leaves it to the user, naming both records.
    expect(report.value.conflicts.find((c) => c.localId === unclear)?.message).toBe(
      `Customer not found: QuickBooks has more than one active customer named like "Marlow   Studio": "Marlow Studio" (id ${single.Id}) and "Marlow  Studio" (id ${spaced.Id}); ` +
        'merge or rename them in QuickBooks, or rename the client in Workroom',
    );
    const { state } = await invoiceFor(w, await w.client('MARLOW STUDIO'));
    expect(state?.party).toMatchObject({ action: 'matched', qboId: single.Id });
    expect(customersNamed(w, /marlow/i)).toHaveLength(2);
  });

  it('creates the close-named customer only after the user chooses Create anyway, and says so', async () => {
    const w = await world();
    await inQbo(w, 'Customer', 'Smith LLC');
    const clientId = await w.client('Smith, LLC');
    const doc = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '10', { taxable: false })] });
    expect((await w.push(doc.id)).job.status).toBe('failed');

    const links = new PartyLinkService({ db: w.db, qbo: w.service });
    const chosen = await links.createAnyway(w.org.id, 'clients', clientId, w.session.userId);
    expect(chosen).toMatchObject({ ok: true, value: { duplicate: { status: 'create_anyway', stale: false } } });
    const decided = await findPartyDuplicate(w.db, { orgId: w.org.id, realmId: w.realmId }, 'customer', clientId);
    expect(decided).toMatchObject({ status: 'create_anyway', decidedBy: w.session.userId });

    const again = await w.push(doc.id);
    expect(again.job.status).toBe('pushed');
    expect(again.state?.party).toMatchObject({
      action: 'created',
      note: `Created as a new QuickBooks customer because Create anyway was chosen by ${w.session.userId}@example.test on ${decided?.decidedAt?.slice(0, 10)}, although QuickBooks also has “Smith LLC”.`,
    });
    expect(customersNamed(w, /^smith,? llc$/i).map((x) => x['DisplayName']).sort()).toEqual(['Smith LLC', 'Smith, LLC']);
    const created = customersNamed(w, /^Smith, LLC$/)[0];
    expect(w.qbo('Invoice').map((i) => (i['CustomerRef'] as { value: string }).value)).toEqual([created?.['Id']]);
    // The choice stays on record while the client page shows the link instead; later pushes use the remembered customer.
    expect(await findPartyDuplicate(w.db, { orgId: w.org.id, realmId: w.realmId }, 'customer', clientId)).toMatchObject({ status: 'create_anyway' });
    expect(await links.view(w.org.id, 'clients', clientId)).toMatchObject({ ok: true, value: { duplicate: null, link: { qboId: created?.['Id'] } } });
    expect((await invoiceFor(w, clientId)).state?.party?.action).toBe('remembered');
    // Unlink forgets the choice with the link: the next push finds the customer it created by its exact name.
    await links.unlink(w.org.id, 'clients', clientId);
    expect(await findPartyDuplicate(w.db, { orgId: w.org.id, realmId: w.realmId }, 'customer', clientId)).toBeUndefined();
    expect((await invoiceFor(w, clientId)).state?.party).toMatchObject({ action: 'matched', qboId: created?.['Id'] });
    expect(customersNamed(w, /^smith,? llc$/i)).toHaveLength(2);
  });

  it('pushes to the existing record when the user links instead, and stops a close-named vendor the same way', async () => {
    const w = await world();
    const smith = await inQbo(w, 'Customer', 'Smith LLC');
    const clientId = await w.client('SMITH L.L.C.');
    const doc = await w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '10', { taxable: false })] });
    expect((await w.push(doc.id)).state?.error?.code).toBe('possible_duplicate');

    const links = new PartyLinkService({ db: w.db, qbo: w.service });
    expect((await links.link(w.org.id, 'clients', clientId, smith.Id, w.session.userId)).ok).toBe(true);
    const linked = await w.push(doc.id);
    expect(linked.job.status).toBe('pushed');
    expect(linked.state?.party).toMatchObject({ action: 'remembered', qboId: smith.Id });
    expect(customersNamed(w, /smith/i)).toHaveLength(1);

    // The emulator's seed has a vendor "Fabric Warehouse".
    const vendorId = await w.vendor('Fabric-Warehouse');
    const po = await w.document({ type: 'purchase_order', vendorId, issueDate: ISSUE_DATE, lines: [line('1', '10', { taxable: false })] });
    const stopped = await w.push(po.id);
    expect(stopped.state?.error).toMatchObject({ code: 'possible_duplicate', title: 'Possible duplicate', element: 'name' });
    expect(stopped.state?.error?.message).toContain('QuickBooks already has the vendor “Fabric Warehouse”');
    expect(stopped.state?.error?.message).toContain('Open the vendor and choose Link');
    expect(w.qbo('Vendor').filter((v) => /fabric/i.test(String(v['DisplayName'])))).toHaveLength(1);
    expect(w.qbo('PurchaseOrder')).toHaveLength(0);
  });

  it('creates "<name> (Customer)" when a vendor or employee has the name, and finds it again later', async () => {
    const w = await world();
    // The emulator's seed has a vendor "Fabric Warehouse" and an employee "Emily Platt".
    const fabric = await invoiceFor(w, await w.client('Fabric Warehouse'));
    expect(fabric.job.status).toBe('pushed');
    expect(fabric.state?.party).toMatchObject({ action: 'created_renamed' });
    expect(fabric.state?.party?.note).toContain('"Fabric Warehouse" is already used by a vendor or employee in QuickBooks, so the customer was created as "Fabric Warehouse (Customer)"');
    const emily = await invoiceFor(w, await w.client('Emily Platt'));
    expect(emily.state?.party?.action).toBe('created_renamed');
    expect(customersNamed(w, /Fabric Warehouse|Emily Platt/).map((x) => x['DisplayName']).sort()).toEqual(['Emily Platt (Customer)', 'Fabric Warehouse (Customer)']);

    // Another studio linked to the same company (its id map is empty) finds the renamed customer instead of making a third.
    const other = await createOrganisation(w.db, { name: 'Another studio', country: 'US', homeCurrency: 'USD' });
    const again = await resolveParty(
      { db: w.db, client: await qboClient(w), scope: { orgId: other.id, realmId: w.realmId }, requestIdBase: 'r2' },
      customerSubject({ id: 'other-client', clientInformation: { name: 'fabric warehouse', email: '', phone: '', billingAddress: { line1: '', city: '', region: '', postalCode: '', country: '' } } }),
    );
    expect(again).toMatchObject({ ok: true, value: { action: 'matched', qboId: fabric.state?.party?.qboId } });
    expect(customersNamed(w, /Fabric Warehouse/)).toHaveLength(1);
  });

  it('stops with "Customer not found" naming the blocking field when both names are taken, and never makes a duplicate', async () => {
    const w = await world();
    await inQbo(w, 'Vendor', 'Emily Platt (Customer)');
    const { job, state } = await invoiceFor(w, await w.client('Emily Platt'));
    expect(job.status).toBe('failed');
    expect(state?.error).toMatchObject({ title: 'Customer not found', code: 'customer_conflict', element: 'clientInformation.name' });
    expect(state?.error?.message).toContain('both "Emily Platt" and "Emily Platt (Customer)" are already used in QuickBooks');
    expect(customersNamed(w, /Emily Platt/)).toHaveLength(0);
    expect(w.qbo('Invoice')).toHaveLength(0);
  });

  it('says which client field blocked creating the customer when QBO refuses it', async () => {
    // QBO refuses the e-mail address; everything else goes through to the emulator.
    const inner = fetchTransport();
    const transport: QboTransport = {
      send: (req) =>
        req.method === 'POST' && new URL(req.url).pathname.endsWith('/customer')
          ? Promise.resolve(
              new Response(
                JSON.stringify({
                  Fault: {
                    Error: [{ Message: 'Invalid Email Address format', Detail: 'Email Address does not conform to the syntax rules of RFC 822', code: '2050', element: 'PrimaryEmailAddr.Address' }],
                    type: 'ValidationFault',
                  },
                }),
                { status: 400, headers: { 'content-type': 'application/json' } },
              ),
            )
          : inner.send(req),
    };
    const w = await newWorld({ realmId: SANDBOX_US, transport });
    await w.map({ defaultIncomeAccountId: ACCOUNTS.services }, US_TAX);
    const { job, state } = await invoiceFor(w, await w.client('Kowalski Loft', { email: 'piotr@@kowalski' }));
    expect(job).toMatchObject({ status: 'failed', qbo_code: 'qbo_validation' });
    expect(state?.error).toMatchObject({ title: 'Customer not found', qboCode: '2050', element: 'clientInformation.email' });
    expect(state?.error?.message).toBe(
      'Customer not found: no QuickBooks customer matches "Kowalski Loft" and QuickBooks refused to create one (the field clientInformation.email blocked it): Invalid Email Address format',
    );
    expect(w.qbo('Invoice')).toHaveLength(0);
  });

  it('refuses to link an inactive QBO customer instead of creating a second one', async () => {
    const w = await world();
    const old = await inQbo(w, 'Customer', 'Harbor House');
    await (await qboClient(w)).update('Customer', { Id: old.Id, SyncToken: old.SyncToken, Active: false }, { requestId: deriveRequestId('deactivate', old.Id) });
    const { job, state } = await invoiceFor(w, await w.client('Harbor House'));
    expect(job.status).toBe('failed');
    expect(state?.error?.title).toBe('Customer not found');
    expect(state?.error?.message).toContain('the QuickBooks customer "Harbor House" is inactive');
    expect(customersNamed(w, /Harbor House/)).toHaveLength(1);
  });

  it('makes one customer when two documents of a new client are pushed at the same time', async () => {
    const w = await world();
    const clientId = await w.client('Twin Peaks Lodge');
    const docs = await Promise.all([0, 1].map(() => w.document({ type: 'invoice', clientId, issueDate: ISSUE_DATE, lines: [line('1', '10', { taxable: false })] })));
    const results = await Promise.all(docs.map((d) => w.push(d.id)));
    expect(results.map((r) => r.job.status)).toEqual(['pushed', 'pushed']);
    expect(customersNamed(w, /Twin Peaks/).map((c) => c['DisplayName'])).toEqual(['Twin Peaks Lodge']);
    expect(w.qbo('Invoice')).toHaveLength(2);
  });

  it('syncs the whole client list with a report: matched, created, conflicts; a second run only re-links', async () => {
    const w = await world();
    await inQbo(w, 'Customer', 'Cool Cars Two');
    await inQbo(w, 'Vendor', 'Blocked (Customer)');
    await inQbo(w, 'Customer', 'Already Linked');
    const ids = {
      existing: await w.client('cool cars two'),
      fresh: await w.client('Brand New Studio'),
      renamed: await w.client('Fabric Warehouse'),
      blocked: await w.client('Blocked'),
      linked: await w.client('Already Linked'),
      close: await w.client('Cool-Cars Two'),
    };
    await inQbo(w, 'Vendor', 'Blocked');
    await invoiceFor(w, ids.linked);

    const sync = async () => syncParties({ db: w.db, client: await qboClient(w), scope: { orgId: w.org.id, realmId: w.realmId } }, 'customer');
    const first = await sync();
    if (!first.ok) throw new Error(first.error.message);
    const report = first.value;
    expect(report.total).toBe(6);
    expect(report.matched.map((m) => [m.name, m.action]).sort()).toEqual([
      ['Already Linked', 'remembered'],
      ['cool cars two', 'matched'],
    ]);
    expect(report.created.map((m) => [m.name, m.qboName, m.action]).sort()).toEqual([
      ['Brand New Studio', 'Brand New Studio', 'created'],
      ['Fabric Warehouse', 'Fabric Warehouse (Customer)', 'created_renamed'],
    ]);
    expect(report.conflicts).toEqual([
      expect.objectContaining({ localId: ids.blocked, name: 'Blocked', title: 'Customer not found', field: 'clientInformation.name' }),
      expect.objectContaining({ localId: ids.close, name: 'Cool-Cars Two', title: 'Possible duplicate', field: 'clientInformation.name' }),
    ]);
    expect(report.conflicts[1]?.message).toMatch(/^Possible duplicate: QuickBooks already has the customer “Cool Cars Two”/);

    const second = await sync();
    if (!second.ok) throw new Error(second.error.message);
    expect(second.value.created).toEqual([]);
    expect(second.value.matched.every((m) => m.action === 'remembered')).toBe(true);
    expect(second.value.matched).toHaveLength(4);
    expect(second.value.conflicts.map((c) => c.title)).toEqual(['Customer not found', 'Possible duplicate']);
    expect(customersNamed(w, /Brand New Studio/)).toHaveLength(1);

    // The synced client's next push skips the lookup.
    const client = await getClient(w.db, w.org.id, ids.fresh);
    expect(client?.clientInformation.name).toBe('Brand New Studio');
    w.emulator.control.api.resetCounters();
    await invoiceFor(w, ids.fresh);
    expect(w.emulator.control.api.counters(w.realmId)[w.realmId]?.byEndpoint).toEqual({ 'POST invoice': 1 });
  });

  it('syncs vendors the same way', async () => {
    const w = await world();
    await w.vendor('fabric warehouse');
    await w.vendor('Metro Art & Framing');
    const client = await w.service.getClientFor(w.org.id);
    if (!client.ok) throw client.error;
    const result = await syncParties({ db: w.db, client: client.value, scope: { orgId: w.org.id, realmId: w.realmId } }, 'vendor');
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.matched.map((m) => [m.name, m.qboName])).toEqual([['fabric warehouse', 'Fabric Warehouse']]);
    expect(result.value.created.map((m) => m.qboName)).toEqual(['Metro Art & Framing']);
    expect(w.qbo('Vendor').filter((v) => /Metro Art/.test(String(v['DisplayName'])))).toHaveLength(1);
  });
});
