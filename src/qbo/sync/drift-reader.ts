import { newId } from '../../db/index.js';
import { QBO_BATCH_MAX_ITEMS, QBO_ENTITY_SCHEMAS, QboError, QboQuery, RequestIdSchema, type QboClient, type QboEntity } from '../client/index.js';
import { chunks } from './chunks.js';

/**
 * Re-reads many QBO records cheaply for the drift report: ids go `Id IN (…)` in chunks, one query per chunk, and
 * when there are several chunks they travel together as query items of one batch request (≤ 30 per batch). A
 * thousand invoices cost 10 queries inside a single batch call, well within 500 requests and 40 batches a minute.
 * An id missing from the answer is a record that no longer exists (deleted in QBO).
 */

export type DriftEntity = 'Invoice' | 'Estimate' | 'PurchaseOrder' | 'Customer' | 'Vendor';

export const DRIFT_READ_CHUNK = 100;

export type DriftClient = Pick<QboClient, 'query' | 'batch'>;

export interface ReadByIdsOptions {
  /** Ids per query; QBO answers at most 1000 rows per query, and the URL stays short at 100. */
  readonly chunkSize?: number;
}

/**
 * The query for one chunk. Customers and vendors made inactive are hidden from queries unless Active is filtered
 * on, and an inactive party is drift to report, not a missing one.
 * https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
 */
export function idChunkQuery(entity: DriftEntity, ids: readonly string[]): QboQuery {
  let query = QboQuery.select(entity).where('Id', 'IN', ids);
  if (entity === 'Customer' || entity === 'Vendor') query = query.where('Active', 'IN', [true, false]);
  return query.maxResults(ids.length);
}

export async function readByIds<N extends DriftEntity>(
  client: DriftClient,
  entity: N,
  ids: readonly string[],
  options: ReadByIdsOptions = {},
): Promise<Map<string, QboEntity<N>>> {
  const unique = [...new Set(ids)];
  const found = new Map<string, QboEntity<N>>();
  if (unique.length === 0) return found;
  const idChunks = chunks(unique, options.chunkSize ?? DRIFT_READ_CHUNK);
  if (idChunks.length === 1) {
    const page = await client.query(entity, () => idChunkQuery(entity, idChunks[0] ?? []));
    for (const item of page.items) found.set(item.Id, item);
    return found;
  }
  const schema = QBO_ENTITY_SCHEMAS[entity];
  for (const group of chunks(idChunks, QBO_BATCH_MAX_ITEMS)) {
    // Read-only, so a fresh requestid each time; the client requires one on every batch.
    const outcomes = await client.batch(
      group.map((chunk, i) => ({ bId: `q${i}`, query: idChunkQuery(entity, chunk) })),
      { requestId: RequestIdSchema.parse(newId()) },
    );
    for (const outcome of outcomes) {
      if (!outcome.ok) throw outcome.error;
      if (outcome.kind !== 'query') {
        throw new QboError({ code: 'qbo_unexpected_response', message: `QuickBooks answered a ${entity} query with an entity` });
      }
      for (const row of outcome.rows) {
        // Already parsed by the client; parsing again gives the row its entity's type.
        const item: QboEntity<N> = schema.parse(row);
        found.set(item.Id, item);
      }
    }
  }
  return found;
}
