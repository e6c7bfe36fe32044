import type { ProviderAccount, ProviderItem } from '../client/index.js';
import { qboListName } from './display-name.js';
import type { QboItemPayload, QboUpdateTarget } from './wire-out.js';

/** QBO's Item Name limit. */
export const QBO_ITEM_NAME_MAX = 100;
export const WORKROOM_ITEM_PREFIX = 'Workroom – ';

type AccountForItem = Pick<ProviderAccount, 'Id' | 'Name'>;

/**
 * The deterministic name of the one Service item per income (or retainer) account: "Workroom – <account name>".
 * An account name too long for QBO's 100-character limit is cut and suffixed with the account id, so two long
 * names that share a prefix still get different items.
 */
export function workroomItemName(account: AccountForItem): string {
  const full = `${WORKROOM_ITEM_PREFIX}${qboListName(account.Name)}`;
  if (full.length <= QBO_ITEM_NAME_MAX) return full;
  const suffix = `… #${account.Id}`;
  return `${full.slice(0, QBO_ITEM_NAME_MAX - suffix.length).trimEnd()}${suffix}`;
}

/**
 * Sales lines must reference an Item, and revenue posts to that item's income account, so each mapped account
 * gets its own item. A retainer item's "income" account is the liability account, which is how a deposit
 * lands on the balance sheet rather than in revenue. Updates are sparse: only the fields Workroom owns.
 * https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/item
 */
export function buildServiceItem(account: AccountForItem, existing?: QboUpdateTarget): QboItemPayload {
  return {
    ...(existing === undefined ? {} : { Id: existing.Id, SyncToken: existing.SyncToken, sparse: true }),
    Name: workroomItemName(account),
    Type: 'Service',
    Active: true,
    IncomeAccountRef: { value: account.Id },
  };
}

export type ItemDecision =
  | { readonly action: 'use'; readonly itemId: string }
  | { readonly action: 'update'; readonly target: QboUpdateTarget; readonly reason: string }
  | { readonly action: 'create' };

type ItemCandidate = Pick<ProviderItem, 'Id' | 'SyncToken' | 'Name'> & Partial<Pick<ProviderItem, 'Active' | 'IncomeAccountRef' | 'Type'>>;

/**
 * Given the items found under the Workroom name (query by Name, including inactive ones), decide whether to
 * reuse, repair or create. Names are unique per item list, so a repair is needed when someone in QBO
 * deactivated the item or pointed it at another account.
 */
export function decideItem(account: AccountForItem, candidates: readonly ItemCandidate[]): ItemDecision {
  const name = workroomItemName(account).toLowerCase();
  const item = candidates.find((c) => c.Name.trim().toLowerCase() === name);
  if (!item) return { action: 'create' };
  const target = { Id: item.Id, SyncToken: item.SyncToken };
  if (item.IncomeAccountRef?.value !== account.Id) {
    return { action: 'update', target, reason: `item "${item.Name}" posts to another account in QuickBooks` };
  }
  if (item.Active === false) return { action: 'update', target, reason: `item "${item.Name}" is inactive in QuickBooks` };
  return { action: 'use', itemId: item.Id };
}
