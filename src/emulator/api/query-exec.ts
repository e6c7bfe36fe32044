import { asString, isRecord, type QboRecord } from '../state/index.js';
import type { Condition, OrderBy, ParsedQuery, QueryValue } from './query-parser.js';

/**
 * Runs a parsed query over a list of records. String comparisons are case-insensitive, references compare by
 * their `value`, date-times compare as instants, numbers numerically. Name lists and accounts/items return
 * only active records unless the query filters on Active, as QBO does.
 */
export interface QueryOutcome {
  records: QboRecord[];
  totalCount: number;
  startPosition: number;
}

const ACTIVE_DEFAULT = new Set(['customer', 'vendor', 'employee', 'item', 'account', 'taxcode', 'taxrate']);
export const DEFAULT_MAX_RESULTS = 100;

function fieldValue(record: QboRecord, path: string): unknown {
  let current: unknown = record;
  for (const part of path.split('.')) {
    if (!isRecord(current)) return undefined;
    const key = Object.keys(current).find((k) => k.toLowerCase() === part.toLowerCase());
    current = key === undefined ? undefined : current[key];
  }
  if (isRecord(current) && 'value' in current) return current['value'];
  return current;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

type Comparable = { kind: 'number'; n: number } | { kind: 'string'; s: string };

function comparable(actual: unknown, expected: QueryValue): [Comparable, Comparable] | undefined {
  if (actual === undefined || actual === null) return undefined;
  if (typeof actual === 'number' || typeof expected === 'number') {
    const a = Number(actual);
    const e = Number(expected);
    if (Number.isNaN(a) || Number.isNaN(e)) return undefined;
    return [{ kind: 'number', n: a }, { kind: 'number', n: e }];
  }
  const a = asString(actual) ?? '';
  const e = String(expected);
  if (DATE_TIME.test(a) && DATE_TIME.test(e)) {
    const am = Date.parse(a);
    const em = Date.parse(e);
    if (!Number.isNaN(am) && !Number.isNaN(em)) return [{ kind: 'number', n: am }, { kind: 'number', n: em }];
  }
  return [{ kind: 'string', s: a.toLowerCase() }, { kind: 'string', s: e.toLowerCase() }];
}

function compare(a: Comparable, b: Comparable): number {
  if (a.kind === 'number' && b.kind === 'number') return a.n - b.n;
  const as = a.kind === 'string' ? a.s : String(a.n);
  const bs = b.kind === 'string' ? b.s : String(b.n);
  return as < bs ? -1 : as > bs ? 1 : 0;
}

function likeToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .toLowerCase()
    .split('%')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`, 's');
}

function matches(record: QboRecord, condition: Condition): boolean {
  const actual = fieldValue(record, condition.field);
  if (condition.op === 'IN') return condition.values.some((v) => equals(actual, v));
  if (condition.op === 'LIKE') {
    return actual !== undefined && actual !== null && likeToRegExp(String(condition.value)).test((asString(actual) ?? '').toLowerCase());
  }
  if (condition.op === '=') return equals(actual, condition.value);
  if (condition.op === '!=') return !equals(actual, condition.value);
  const pair = comparable(actual, condition.value);
  if (!pair) return false;
  const c = compare(pair[0], pair[1]);
  switch (condition.op) {
    case '<':
      return c < 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    case '>=':
      return c >= 0;
  }
}

function equals(actual: unknown, expected: QueryValue): boolean {
  if (typeof actual === 'boolean' || typeof expected === 'boolean') return String(actual).toLowerCase() === String(expected).toLowerCase();
  const pair = comparable(actual, expected);
  return pair !== undefined && compare(pair[0], pair[1]) === 0;
}

function sortRecords(records: QboRecord[], orderBy: OrderBy[]): QboRecord[] {
  const keys: OrderBy[] = [...orderBy, { field: 'Id', direction: 'ASC' }];
  return [...records].sort((x, y) => {
    for (const key of keys) {
      const a = fieldValue(x, key.field);
      const b = fieldValue(y, key.field);
      const numeric = key.field.toLowerCase() === 'id' || (typeof a === 'number' && typeof b === 'number');
      const c = numeric ? Number(a ?? 0) - Number(b ?? 0) : (asString(a) ?? '').toLowerCase().localeCompare((asString(b) ?? '').toLowerCase());
      if (c !== 0) return key.direction === 'ASC' ? c : -c;
    }
    return 0;
  });
}

function project(record: QboRecord, fields: string[]): QboRecord {
  const out: QboRecord = { Id: record['Id'], SyncToken: record['SyncToken'], domain: 'QBO', sparse: true };
  for (const field of fields) {
    const top = field.split('.')[0] ?? field;
    const key = Object.keys(record).find((k) => k.toLowerCase() === top.toLowerCase());
    if (key !== undefined) out[key] = record[key];
  }
  return out;
}

export function executeQuery(query: ParsedQuery, records: QboRecord[]): QueryOutcome {
  const filtersActive = query.where.some((c) => c.field.toLowerCase() === 'active');
  const activeOnly = ACTIVE_DEFAULT.has(query.entity.toLowerCase()) && !filtersActive;
  const filtered = records.filter(
    (r) => (!activeOnly || r['Active'] !== false) && query.where.every((condition) => matches(r, condition)),
  );
  const sorted = sortRecords(filtered, query.orderBy);
  const startPosition = Math.max(query.startPosition ?? 1, 1);
  const max = query.maxResults ?? DEFAULT_MAX_RESULTS;
  const page = sorted.slice(startPosition - 1, startPosition - 1 + max);
  const select = query.select;
  const shaped = select.kind === 'fields' ? page.map((r) => project(r, select.fields)) : page;
  return { records: shaped, totalCount: filtered.length, startPosition };
}
