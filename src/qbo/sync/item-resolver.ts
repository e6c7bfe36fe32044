import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { deriveRequestId, QboQuery, type ProviderItem, type QboClient, type Result } from '../client/index.js';
import { QboIdMap, type IdMapScope, type RememberedId } from '../connection/id-map.js';
import { buildServiceItem, decideItem, workroomItemName } from '../mapping/index.js';
import { failureFromQboError, PUSH_FAILURE_TITLES, qboStep, type PushFailure } from './push-errors.js';

/** The QBO calls item resolution makes; a QboClient, or a fake in tests. */
export type ItemClient = Pick<QboClient, 'query' | 'read' | 'create' | 'update'>;

export interface ItemDeps {
  readonly db: Kysely<Database>;
  readonly client: ItemClient;
  readonly scope: IdMapScope;
  readonly requestIdBase: string;
  readonly now?: () => Date;
}

/** Id-map key: one Workroom service item per QBO income (or retainer liability) account. */
export const SERVICE_ITEM_ENTITY = 'service_item';

/**
 * The QBO Item id for each account, creating "Workroom – <account name>" Service items as needed. Items are
 * remembered per (org, realm) by account id, so later pushes make no item calls at all; the first time, the
 * account is read for its name and an item of that name is reused (repaired if it was deactivated or repointed
 * in QBO) before one is created.
 */
export async function resolveServiceItems(
  deps: ItemDeps,
  accountIds: readonly string[],
  /** Items already read (a bulk batch reads them once); the accounts missing here are looked up. */
  readAhead: ReadonlyMap<string, RememberedId> = new Map(),
): Promise<Result<Map<string, string>, PushFailure>> {
  const ids = new QboIdMap(deps.db);
  const out = new Map<string, string>();
  const unread = accountIds.filter((id) => !readAhead.has(id));
  const remembered = unread.length === 0 ? readAhead : new Map([...readAhead, ...(await ids.lookupMany(deps.scope, SERVICE_ITEM_ENTITY, unread))]);
  for (const accountId of accountIds) {
    const known = remembered.get(accountId);
    if (known) {
      out.set(accountId, known.qboId);
      continue;
    }
    const item = await ensureItem(deps, accountId);
    if (!item.ok) return item;
    await ids.remember(deps.scope, SERVICE_ITEM_ENTITY, accountId, { qboId: item.value.Id, syncToken: item.value.SyncToken }, (deps.now?.() ?? new Date()).toISOString());
    out.set(accountId, item.value.Id);
  }
  return { ok: true, value: out };
}

async function ensureItem(deps: ItemDeps, accountId: string): Promise<Result<Pick<ProviderItem, 'Id' | 'SyncToken'>, PushFailure>> {
  const account = await qboStep(() => deps.client.read('Account', accountId));
  if (!account.ok) {
    const failure = failureFromQboError(account.error);
    if (failure.retryable || account.error.code === 'qbo_needs_reconnect') return { ok: false, error: failure };
    return {
      ok: false,
      error: {
        ...failure,
        code: 'account_not_specified',
        title: PUSH_FAILURE_TITLES.account_not_specified,
        message: `${PUSH_FAILURE_TITLES.account_not_specified}: the mapped QuickBooks account ${accountId} could not be read (${account.error.message}); choose another account in Settings → Finances → QuickBooks`,
      },
    };
  }
  const name = workroomItemName(account.value);
  // https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/item#query-an-item
  const byName = () => deps.client.query('Item', () => QboQuery.select('Item').where('Name', '=', name).where('Active', 'IN', [true, false]));
  for (let attempt = 0; ; attempt += 1) {
    const found = await qboStep(byName);
    if (!found.ok) return { ok: false, error: failureFromQboError(found.error) };
    const decision = decideItem(account.value, found.value.items);
    if (decision.action === 'use') {
      const item = found.value.items.find((i) => i.Id === decision.itemId);
      return { ok: true, value: { Id: decision.itemId, SyncToken: item?.SyncToken ?? '0' } };
    }
    if (decision.action === 'update') {
      const body = buildServiceItem(account.value, decision.target);
      const updated = await qboStep(() =>
        deps.client.update('Item', { ...body, Id: decision.target.Id, SyncToken: decision.target.SyncToken }, {
          requestId: deriveRequestId(deps.requestIdBase, 'item-update', decision.target.Id, decision.target.SyncToken),
          sparse: true,
        }),
      );
      if (!updated.ok) return { ok: false, error: failureFromQboError(updated.error) };
      return { ok: true, value: updated.value };
    }
    const created = await qboStep(() =>
      deps.client.create('Item', buildServiceItem(account.value), { requestId: deriveRequestId(deps.requestIdBase, 'item', accountId, name) }),
    );
    if (created.ok) return { ok: true, value: created.value };
    // A concurrent push may have created the same item a moment ago: look once more, then give up.
    if (created.error.code !== 'qbo_duplicate_name' || attempt > 0) return { ok: false, error: failureFromQboError(created.error) };
  }
}
