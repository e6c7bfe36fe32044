import { asString, isRecord, qboResponseTime, type EntityName, type QboRecord, type RealmState } from '../state/index.js';
import { QboFault, faultBody, faults } from './faults.js';
import { applyWrite, entityNamed, readEntity, type WriteOperation } from './operations.js';
import { buildProfitAndLoss, resolveDateRange, type ReportBasis, type SummarizeBy } from './pnl.js';
import { executeQuery } from './query-exec.js';
import { parseQuery } from './query-parser.js';
import { hiddenKey, type WriteScope } from './refs.js';

/** One Accounting API call, already authenticated and admitted, turned into QBO's answer. */
export interface ApiCall {
  realm: RealmState;
  method: 'GET' | 'POST';
  /** Path after /v3/company/:realmId/, e.g. "invoice/12" or "reports/ProfitAndLoss". */
  path: string;
  query: Record<string, string | undefined>;
  body: unknown;
  nowMs: number;
  batchMaxItems: number;
}

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
  mutated: boolean;
}

const MAX_RESULTS_LIMIT = 1000;

function ok(body: Record<string, unknown>, nowMs: number, mutated = false): ApiAnswer {
  return { status: 200, body: { ...body, time: qboResponseTime(nowMs) }, mutated };
}

function runQuery(realm: RealmState, text: string, hidden: ReadonlySet<string>): Record<string, unknown> {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw faults.queryParse(parsed.error);
  const query = parsed.query;
  const entity = entityNamed(query.entity);
  if (!entity) throw faults.queryValidation(`Entity ${query.entity} is not supported`);
  if (query.maxResults !== undefined && query.maxResults > MAX_RESULTS_LIMIT) {
    throw faults.queryValidation(`value ${query.maxResults} is too large. Max allowed value is ${MAX_RESULTS_LIMIT}`);
  }
  const records = Object.values(realm.entities[entity]).filter((r) => !hidden.has(hiddenKey(entity, String(r['Id']))));
  const outcome = executeQuery({ ...query, entity }, records);
  if (query.select.kind === 'count') return { QueryResponse: { totalCount: outcome.totalCount } };
  if (outcome.records.length === 0) return { QueryResponse: {} };
  return { QueryResponse: { [entity]: outcome.records, startPosition: outcome.startPosition, maxResults: outcome.records.length } };
}

function writeOperation(query: ApiCall['query'], body: QboRecord): WriteOperation {
  const op = query['operation']?.toLowerCase();
  if (op === 'delete') return 'delete';
  if (op === 'void' || query['include']?.toLowerCase() === 'void') return 'void';
  if (op === 'update' || asString(body['Id']) !== undefined) return 'update';
  return 'create';
}

function scopeFor(call: ApiCall, hidden: ReadonlySet<string>): WriteScope {
  return {
    realm: call.realm,
    nowMs: call.nowMs,
    hidden,
    allowDuplicateDocNum: call.query['include']?.toLowerCase() === 'allowduplicatedocnum',
  };
}

function runBatch(call: ApiCall): ApiAnswer {
  const body = isRecord(call.body) ? call.body : {};
  const items = Array.isArray(body['BatchItemRequest']) ? (body['BatchItemRequest'] as unknown[]) : undefined;
  if (!items || items.length === 0) throw faults.requiredParam('BatchItemRequest');
  if (items.length > call.batchMaxItems) throw faults.batchTooLarge(call.batchMaxItems);
  const hidden = new Set<string>();
  let mutated = false;
  const responses = items.map((raw) => {
    const item = isRecord(raw) ? raw : {};
    const bId = asString(item['bId']) ?? '';
    try {
      if (typeof item['Query'] === 'string') return { bId, ...runQuery(call.realm, item['Query'], hidden) };
      const entity = Object.keys(item).map(entityNamed).find((e): e is EntityName => e !== undefined);
      const payload = entity ? item[Object.keys(item).find((k) => entityNamed(k) === entity) ?? ''] : undefined;
      if (!entity || !isRecord(payload)) throw faults.requiredParam('BatchItemRequest.entity');
      const operation = (asString(item['operation']) ?? 'create').toLowerCase() as WriteOperation;
      const options = asString(item['optionsData'])?.toLowerCase();
      const scope = scopeFor({ ...call, query: { ...call.query, include: options } }, hidden);
      const result = applyWrite(scope, entity, operation === 'update' && options === 'void' ? 'void' : operation, payload);
      mutated = true;
      if (result.createdId !== undefined) hidden.add(hiddenKey(entity, result.createdId));
      return { bId, [entity]: result.body };
    } catch (err) {
      if (!(err instanceof QboFault)) throw err;
      const fault = faultBody(err, '')['Fault'];
      return { bId, Fault: fault };
    }
  });
  return ok({ BatchItemResponse: responses }, call.nowMs, mutated);
}

function runReport(call: ApiCall, name: string): ApiAnswer {
  if (name.toLowerCase() !== 'profitandloss') throw faults.unsupportedOperation(`/v3/company/:realmid/reports/${name}`);
  const q = call.query;
  const range = resolveDateRange(q['start_date'], q['end_date'], q['date_macro'], call.nowMs);
  if (!range) throw faults.invalidProperty(`date_macro:${q['date_macro'] ?? ''}`);
  const basis: ReportBasis = q['accounting_method']?.toLowerCase() === 'cash' ? 'Cash' : 'Accrual';
  const by = (['Total', 'Month', 'Quarter', 'Year'] as const).find((s) => s.toLowerCase() === q['summarize_column_by']?.toLowerCase());
  const summarizeBy: SummarizeBy = by ?? 'Total';
  const report = buildProfitAndLoss(call.realm, { ...range, basis, summarizeBy, dateMacro: q['date_macro'], nowMs: call.nowMs });
  return { status: 200, body: report, mutated: false };
}

function queryText(call: ApiCall): string {
  if (call.method === 'POST' && typeof call.body === 'string' && call.body.trim() !== '') return call.body;
  return call.query['query'] ?? '';
}

function dispatchUnsafe(call: ApiCall): ApiAnswer {
  const segments = call.path.split('/').filter((s) => s !== '');
  const [head = '', second] = segments;
  const resource = head.toLowerCase();
  if (resource === 'query') return ok(runQuery(call.realm, queryText(call), new Set()), call.nowMs);
  if (resource === 'batch' && call.method === 'POST') return runBatch(call);
  if (resource === 'reports' && call.method === 'GET' && second) return runReport(call, second);
  const entity = entityNamed(head);
  if (!entity) throw faults.unsupportedOperation(`/v3/company/:realmid/${call.path}`);
  if (call.method === 'GET') {
    const id = entity === 'Preferences' ? '1' : second;
    if (id === undefined) throw faults.unsupportedOperation(`/v3/company/:realmid/${call.path}`);
    return ok({ [entity]: readEntity(call.realm, entity, id) }, call.nowMs);
  }
  if (!isRecord(call.body)) throw faults.invalidProperty(entity);
  const payload = entity === 'Preferences' || entity === 'CompanyInfo' ? { Id: '1', ...call.body } : call.body;
  const result = applyWrite(scopeFor(call, new Set()), entity, writeOperation(call.query, payload), payload);
  return ok({ [entity]: result.body }, call.nowMs, true);
}

export function dispatch(call: ApiCall): ApiAnswer {
  try {
    return dispatchUnsafe(call);
  } catch (err) {
    if (err instanceof QboFault) return { status: err.status, body: faultBody(err, qboResponseTime(call.nowMs)), mutated: false };
    throw err;
  }
}
