import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/index.js';
import { getDocument } from '../../src/domain/store/documents.js';
import { deriveRequestId, type ProviderItem, type QboClient } from '../../src/qbo/client/index.js';
import type { QboConnectionService } from '../../src/qbo/connection/connection-service.js';
import { buildInvoice, qboDisplayName, requireFinal, type SalesContext } from '../../src/qbo/mapping/index.js';
import { loadMappings } from '../../src/qbo/sync/mapping-store.js';
import type { BenchEmulator } from '../lib/emulator-process.js';
import { statsDelta, type RealmDelta } from '../lib/emulator-stats.js';
import { perMinute } from '../lib/stats.js';
import type { Studio } from '../lib/studio.js';

export interface NaiveResult {
  readonly docs: number;
  readonly wallMs: number;
  readonly docsPerMinute: number;
  readonly callsPerDoc: number;
  readonly throttled: number;
  readonly calls: RealmDelta;
}

/**
 * The integration most QBO connectors are: one document at a time, look the customer up by name (create it
 * when missing), then create the invoice, waiting for each answer. It uses our QboClient (so it is rate
 * limited and sends requestids) and our invoice builder (so the payloads are identical); only the strategy
 * differs from the Sync Center's bulk push. The item is looked up once, as such a connector's setup would.
 */
/** A studio's documents pushed from the bench process, through its own QBO client, to its realm. */
export interface StudioPush {
  readonly db: Kysely<Database>;
  readonly qbo: QboConnectionService;
  readonly emulator: BenchEmulator;
  readonly studio: Studio;
  readonly realmId: string;
  readonly documentIds: readonly string[];
}

export async function runNaiveBaseline(input: StudioPush): Promise<NaiveResult> {
  const { db, studio, realmId } = input;
  const { client, mappings, incomeAccount } = await studioClient(db, input.qbo, studio, realmId);

  const before = await input.emulator.stats();
  const started = performance.now();
  const item = await pickItem(client, incomeAccount);
  for (const documentId of input.documentIds) {
    const doc = await getDocument(db, studio.org, documentId);
    if (!doc) throw new Error(`document ${documentId} vanished`);
    const final = requireFinal(doc, 'invoice');
    if (!final.ok) throw new Error(final.error.map((p) => p.message).join('; '));
    const name = qboDisplayName(doc.partyName);
    const found = await client.query('Customer', (q) => q.where('DisplayName', '=', name));
    const customerId =
      found.items[0]?.Id ?? (await client.create('Customer', { DisplayName: name }, { requestId: deriveRequestId('naive-customer', name) })).Id;
    const ctx: SalesContext = {
      company: { taxModel: 'us', homeCurrency: 'USD' },
      accounts: mappings.accounts,
      tax: mappings.tax,
      customerRef: { value: customerId },
      itemByAccountId: new Map([[incomeAccount, item.Id]]),
    };
    const body = buildInvoice(final.value, ctx);
    if (!body.ok) throw new Error(body.error.map((p) => p.message).join('; '));
    await client.create('Invoice', body.value, { requestId: deriveRequestId('naive-invoice', documentId) });
  }
  const wallMs = performance.now() - started;
  const calls = statsDelta(before, await input.emulator.stats(), [realmId]);
  const docs = input.documentIds.length;
  return {
    docs,
    wallMs,
    docsPerMinute: perMinute(docs, wallMs),
    callsPerDoc: calls.requests / docs,
    throttled: calls.throttled,
    calls,
  };
}

/** The studio's connected QBO client and its mapping, as a connector outside the Sync Center would set up. */
export async function studioClient(db: Kysely<Database>, qbo: QboConnectionService, studio: Studio, realmId: string) {
  const gotClient = await qbo.getClientFor(studio.org.id);
  if (!gotClient.ok) throw gotClient.error;
  const mappings = await loadMappings(db, studio.org.id, realmId, studio.org.taxModel);
  const incomeAccount = mappings.accounts.defaultIncomeAccountId;
  if (incomeAccount === null) throw new Error(`${studio.org.name} has no income account mapped`);
  return { client: gotClient.value, mappings, incomeAccount };
}

export async function pickItem(client: QboClient, incomeAccountId: string): Promise<ProviderItem> {
  const items = (await client.query('Item')).items;
  const item = items.find((i) => i.IncomeAccountRef?.value === incomeAccountId) ?? items.find((i) => i.IncomeAccountRef !== undefined);
  if (!item) throw new Error('the company has no item with an income account');
  return item;
}
