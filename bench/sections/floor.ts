import { getDocuments } from '../../src/domain/store/documents.js';
import { deriveRequestId, type QboClient, type QboWriteBody } from '../../src/qbo/client/index.js';
import { buildInvoice, qboDisplayName, requireFinal, type SalesContext } from '../../src/qbo/mapping/index.js';
import { chunks } from '../../src/qbo/sync/chunks.js';
import { QBO_PUSH_LIMITS } from '../lib/ceiling.js';
import { statsDelta, type RealmDelta } from '../lib/emulator-stats.js';
import { pickItem, studioClient, type StudioPush } from './baseline.js';

export interface FloorRun {
  readonly docs: number;
  readonly batches: number;
  /** First send to last answer, in the best round. */
  readonly wallMs: number;
  /** When each batch's answer arrived, ms after the first send, in arrival order (best round). */
  readonly answersMs: readonly number[];
  /** Wall time of every round; the best one is the floor. */
  readonly rounds: readonly number[];
  readonly throttled: number;
  readonly calls: RealmDelta;
}

/**
 * The fastest push any client could make of these documents here: customers created and every payload built
 * before the clock starts, then all batches sent at once through our QboClient (so answers are parsed as a
 * real client must). The best of a few rounds counts, so a cold start or a stray GC pause does not. What it
 * measures is QBO's side on this machine, i.e. the emulator answering batches that arrive together while sharing
 * the CPU; the ideal client of ceiling.ts assumes they are answered in parallel.
 */
export async function measureClientFloor(
  /** Several rounds' documents: each round pushes the next `docsPerRound` of them. */
  input: StudioPush & { readonly docsPerRound: number },
): Promise<FloorRun> {
  const { db, studio, realmId } = input;
  const { client, mappings, incomeAccount } = await studioClient(db, input.qbo, studio, realmId);
  const item = await pickItem(client, incomeAccount);

  const byId = await getDocuments(db, studio.org, input.documentIds);
  const documents = input.documentIds.map((id) => {
    const doc = byId.get(id);
    if (!doc) throw new Error(`document ${id} vanished`);
    return doc;
  });
  const names = [...new Set(documents.map((doc) => qboDisplayName(doc.partyName)))];
  const customerIds = new Map<string, string>();
  for (const [i, chunk] of chunks(names, QBO_PUSH_LIMITS.batchMaxItems).entries()) {
    const created = await client.batch(
      chunk.map((name, k) => ({ bId: String(k), operation: 'create' as const, entity: 'Customer' as const, body: { DisplayName: name } })),
      { requestId: deriveRequestId('floor-customers', realmId, String(i)) },
    );
    created.forEach((outcome, k) => {
      if (!outcome.ok) throw outcome.error;
      if (outcome.kind !== 'entity') throw new Error('a customer create answered with query rows');
      customerIds.set(chunk[k] as string, outcome.value.Id);
    });
  }
  const bodies: QboWriteBody[] = documents.map((doc) => {
    const final = requireFinal(doc, 'invoice');
    if (!final.ok) throw new Error(final.error.map((p) => p.message).join('; '));
    const ctx: SalesContext = {
      company: { taxModel: 'us', homeCurrency: 'USD' },
      accounts: mappings.accounts,
      tax: mappings.tax,
      customerRef: { value: customerIds.get(qboDisplayName(doc.partyName)) ?? '' },
      itemByAccountId: new Map([[incomeAccount, item.Id]]),
    };
    const body = buildInvoice(final.value, ctx);
    if (!body.ok) throw new Error(body.error.map((p) => p.message).join('; '));
    return body.value;
  });

  const before = await input.emulator.stats();
  const rounds: FloorRound[] = [];
  for (const [round, roundBodies] of chunks(bodies, input.docsPerRound).entries()) rounds.push(await sendAtOnce(client, realmId, round, roundBodies));
  const calls = statsDelta(before, await input.emulator.stats(), [realmId]);
  const best = rounds.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  return { docs: input.docsPerRound, batches: best.answersMs.length, wallMs: best.wallMs, answersMs: best.answersMs, rounds: rounds.map((r) => r.wallMs), throttled: calls.throttled, calls };
}

interface FloorRound {
  readonly wallMs: number;
  readonly answersMs: readonly number[];
}

async function sendAtOnce(client: QboClient, realmId: string, round: number, bodies: readonly QboWriteBody[]): Promise<FloorRound> {
  const answersMs: number[] = [];
  const started = performance.now();
  const sends = chunks(bodies, QBO_PUSH_LIMITS.batchMaxItems).map((chunk, i) => {
    const items = chunk.map((body, k) => ({ bId: String(k), operation: 'create' as const, entity: 'Invoice' as const, body }));
    return client.batch(items, { requestId: deriveRequestId('floor-invoices', realmId, `${round}-${i}`) }).then((outcomes) => {
      answersMs.push(performance.now() - started);
      const refused = outcomes.find((outcome) => !outcome.ok);
      if (refused !== undefined && !refused.ok) throw refused.error;
    });
  });
  await Promise.all(sends);
  return { wallMs: performance.now() - started, answersMs };
}
