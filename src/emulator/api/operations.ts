import { ENTITY_NAMES, asString, isRecord, qboDateTime, type EntityName, type QboRecord, type RealmState } from '../state/index.js';
import { faults } from './faults.js';
import { buildAccount, buildItem, buildName } from './lists.js';
import { findVisible, type WriteScope } from './refs.js';
import { buildTransaction, voidInvoice } from './transactions.js';

/**
 * Create / read / update (full and sparse) / delete / void of every entity, with QBO's SyncToken rules:
 * each write bumps SyncToken, and a write carrying an older SyncToken fails with 5010.
 */
export type WriteOperation = 'create' | 'update' | 'delete' | 'void';

interface EntitySpec {
  /** Id sequence; QBO shares one across Customer/Vendor/Employee and one across transactions. */
  sequence: string;
  operations: ReadonlySet<WriteOperation>;
  build: (scope: WriteScope, input: QboRecord, selfId: string | undefined) => QboRecord;
}

const identity = (_scope: WriteScope, input: QboRecord): QboRecord => input;
const ops = (...list: WriteOperation[]): ReadonlySet<WriteOperation> => new Set(list);

const SPECS: Record<EntityName, EntitySpec> = {
  Account: { sequence: 'Account', operations: ops('create', 'update'), build: buildAccount },
  TaxCode: { sequence: 'TaxCode', operations: ops(), build: identity },
  TaxRate: { sequence: 'TaxRate', operations: ops(), build: identity },
  Item: { sequence: 'Item', operations: ops('create', 'update'), build: buildItem },
  Customer: { sequence: 'Name', operations: ops('create', 'update'), build: (s, i, id) => buildName(s, 'Customer', i, id) },
  Vendor: { sequence: 'Name', operations: ops('create', 'update'), build: (s, i, id) => buildName(s, 'Vendor', i, id) },
  Employee: { sequence: 'Name', operations: ops(), build: identity },
  Estimate: { sequence: 'Txn', operations: ops('create', 'update', 'delete'), build: (s, i, id) => buildTransaction(s, 'Estimate', i, id) },
  Invoice: {
    sequence: 'Txn',
    operations: ops('create', 'update', 'delete', 'void'),
    build: (s, i, id) => buildTransaction(s, 'Invoice', i, id),
  },
  PurchaseOrder: {
    sequence: 'Txn',
    operations: ops('create', 'update', 'delete'),
    build: (s, i, id) => buildTransaction(s, 'PurchaseOrder', i, id),
  },
  Purchase: { sequence: 'Txn', operations: ops(), build: identity },
  CompanyInfo: { sequence: 'CompanyInfo', operations: ops('update'), build: identity },
  Preferences: { sequence: 'Preferences', operations: ops('update'), build: identity },
};

/** Who QBO names in a 5010 Detail as having saved first. */
const LAST_EDITOR = 'API API';
const READ_ONLY_FIELDS = ['Id', 'SyncToken', 'MetaData', 'domain', 'sparse', 'status'];

/** Maps a URL segment or query entity name (any case) to the entity. */
export function entityNamed(name: string): EntityName | undefined {
  const lower = name.toLowerCase();
  return ENTITY_NAMES.find((e) => e.toLowerCase() === lower);
}

export function readEntity(realm: RealmState, entity: EntityName, id: string, hidden: ReadonlySet<string> = new Set()): QboRecord {
  const key = entity === 'CompanyInfo' && id === realm.company.realmId ? '1' : id;
  const record = hidden.has(`${entity}:${key}`) ? undefined : realm.entities[entity][key];
  if (!record) throw faults.objectNotFound();
  return record;
}

function stripReadOnly(input: QboRecord): QboRecord {
  const out = { ...input };
  for (const f of READ_ONLY_FIELDS) delete out[f];
  return out;
}

function deepMerge(base: QboRecord, patch: QboRecord): QboRecord {
  const out: QboRecord = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    out[key] = isRecord(value) && isRecord(current) ? deepMerge(current, value) : value;
  }
  return out;
}

function nextId(realm: RealmState, sequence: string): string {
  const existing = realm.counters[sequence] ?? 1;
  realm.counters[sequence] = existing + 1;
  return String(existing);
}

function requireCurrent(scope: WriteScope, entity: EntityName, payload: QboRecord): QboRecord {
  const id = asString(payload['Id']);
  if (id === undefined || id === '') throw faults.requiredParam('Id');
  const existing = findVisible(scope, entity, id);
  if (!existing) throw faults.objectNotFound();
  const token = asString(payload['SyncToken']);
  if (token === undefined || token === '') throw faults.requiredParam('SyncToken');
  if (token !== asString(existing['SyncToken'])) throw faults.staleObject(LAST_EDITOR);
  return existing;
}

function stamped(record: QboRecord, id: string, syncToken: number, createTime: string, nowMs: number): QboRecord {
  return {
    ...record,
    Id: id,
    SyncToken: String(syncToken),
    domain: 'QBO',
    sparse: false,
    MetaData: { CreateTime: createTime, LastUpdatedTime: qboDateTime(nowMs) },
  };
}

export interface WriteResult {
  body: QboRecord;
  createdId?: string;
}

export function applyWrite(scope: WriteScope, entity: EntityName, operation: WriteOperation, payload: QboRecord): WriteResult {
  const spec = SPECS[entity];
  if (!spec.operations.has(operation)) throw faults.unsupportedOperation(`/v3/company/:realmid/${entity.toLowerCase()}?operation=${operation}`);
  const store = scope.realm.entities[entity];
  if (operation === 'create') {
    const built = spec.build(scope, stripReadOnly(payload), undefined);
    const id = nextId(scope.realm, spec.sequence);
    const record = stamped(built, id, 0, qboDateTime(scope.nowMs), scope.nowMs);
    store[id] = record;
    return { body: record, createdId: id };
  }
  const existing = requireCurrent(scope, entity, payload);
  const id = String(existing['Id']);
  const createTime = isRecord(existing['MetaData']) ? String(existing['MetaData']['CreateTime']) : qboDateTime(scope.nowMs);
  const nextToken = Number(existing['SyncToken'] ?? 0) + 1;
  if (operation === 'delete') {
    delete store[id];
    return { body: { status: 'Deleted', domain: 'QBO', Id: id } };
  }
  if (operation === 'void') {
    const record = stamped(voidInvoice(existing), id, nextToken, createTime, scope.nowMs);
    store[id] = record;
    return { body: record };
  }
  const sparse = payload['sparse'] === true || payload['sparse'] === 'true';
  const patch = stripReadOnly(payload);
  const base = stripReadOnly(existing);
  let input: QboRecord;
  if (entity === 'Preferences' || entity === 'CompanyInfo') input = deepMerge(base, patch);
  else if (sparse) input = { ...base, ...patch };
  else input = { ...patch, ...(patch['DocNumber'] === undefined && base['DocNumber'] !== undefined ? { DocNumber: base['DocNumber'] } : {}) };
  const record = stamped(spec.build(scope, input, id), id, nextToken, createTime, scope.nowMs);
  store[id] = record;
  return { body: record };
}
