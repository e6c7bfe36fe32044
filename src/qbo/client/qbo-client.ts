import { z } from 'zod';
import {
  companyBaseUrl,
  type DeepLinkEntity,
  type EnvironmentEndpoints,
  parseRealmId,
  type QboEnvironment,
  type QboPlatform,
  qboRecordUrl,
  type RealmId,
} from './environments.js';
import { QboError } from './errors.js';
import { parseQboFault, qboErrorFromFault, transportFailure } from './fault.js';
import { type QboLogger, silentLogger } from './logger.js';
import { QBO_MAX_RESULTS, QboQuery } from './query.js';
import type { LimitKind, RealmLimiter } from './realm-limiter.js';
import { BATCH_REQUEST_ID_MAX, type RequestId, RequestIdSchema } from './request-id.js';
import { DEFAULT_RETRY_POLICY, type RetryClock, type RetryPolicy, systemRetryClock, withRetry } from './retry.js';
import type { HttpMethod, QboTransport } from './transport.js';
import { ProviderBatchResponseSchema } from './wire/batch.js';
import { type ProviderCompanyInfo, ProviderCompanyInfoSchema, type ProviderPreferences, ProviderPreferencesSchema } from './wire/company.js';
import {
  isQboEntityName,
  type QboEntity,
  type QboEntityName,
  type QboUpdateBody,
  type QboWritableEntityName,
  type QboWriteBody,
} from './wire/entities.js';
import { toQboJson } from './wire/money.js';
import { parseEntity, parseWire } from './wire/parse.js';
import { type ProviderReport, ProviderReportSchema, type QboReportName, type ReportParams } from './wire/report.js';

/**
 * Supplies the Bearer token. `forceRefresh` follows a 401 and names the token QBO rejected, so a refresher
 * shared across processes can tell whether someone else has already replaced it.
 */
export type AccessTokenProvider = (request: { forceRefresh: boolean; rejectedToken?: string }) => Promise<string>;

export interface QboClientConfig {
  readonly platform: QboPlatform;
  /** The connection's probed environment; the client can only ever call this environment's host. */
  readonly environment: QboEnvironment;
  readonly realmId: string;
  readonly getAccessToken: AccessTokenProvider;
  readonly transport: QboTransport;
  readonly limiter: RealmLimiter;
  readonly logger?: QboLogger;
  readonly minorVersion?: number;
  readonly retryPolicy?: Partial<RetryPolicy>;
  readonly clock?: RetryClock;
}

/** Every write names its requestid: the same id on a retry makes QBO replay the first answer. */
export interface WriteOptions {
  readonly requestId: RequestId;
}

export interface UpdateOptions extends WriteOptions {
  /** Sparse updates send only the given fields; a full update replaces the whole object. */
  readonly sparse?: boolean;
}

export interface QueryPage<N extends QboEntityName> {
  readonly items: QboEntity<N>[];
  readonly startPosition: number;
  readonly maxResults: number;
}

export type BatchRequestItem =
  | { readonly bId: string; readonly operation: 'create'; readonly entity: QboWritableEntityName; readonly body: QboWriteBody }
  | {
      readonly bId: string;
      readonly operation: 'update';
      readonly entity: QboWritableEntityName;
      readonly body: QboUpdateBody;
      readonly sparse?: boolean;
    }
  | { readonly bId: string; readonly query: QboQuery };

type EntityValue = { [N in QboEntityName]: { readonly entity: N; readonly value: QboEntity<N> } }[QboEntityName];

export type BatchItemOutcome =
  | ({ readonly bId: string; readonly ok: true; readonly kind: 'entity' } & EntityValue)
  | { readonly bId: string; readonly ok: true; readonly kind: 'query'; readonly entity: string; readonly rows: unknown[] }
  | { readonly bId: string; readonly ok: false; readonly error: QboError };

export const QBO_BATCH_MAX_ITEMS = 30;
const BATCH_ID_MAX = 10;
export const DEFAULT_MINOR_VERSION = 75;

interface CallSpec {
  readonly operation: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly params?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly requestId?: RequestId;
  readonly kind?: LimitKind;
}

const QueryResponseSchema = z.looseObject({
  QueryResponse: z.looseObject({
    startPosition: z.number().optional(),
    maxResults: z.number().optional(),
    totalCount: z.number().optional(),
  }),
});

function entityPath(entity: QboEntityName): string {
  return entity.toLowerCase();
}

/** One typed method per QBO operation, bound to one realm in one environment. */
export class QboClient {
  readonly realmId: RealmId;
  readonly environment: QboEnvironment;
  readonly #endpoints: EnvironmentEndpoints;
  readonly #config: Readonly<{
    getAccessToken: AccessTokenProvider;
    transport: QboTransport;
    limiter: RealmLimiter;
    logger: QboLogger;
    minorVersion: number;
    retryPolicy: RetryPolicy;
    clock: RetryClock;
  }>;

  constructor(config: QboClientConfig) {
    this.realmId = parseRealmId(config.realmId);
    this.environment = config.environment;
    this.#endpoints = config.platform.environments[config.environment];
    this.#config = Object.freeze({
      getAccessToken: config.getAccessToken,
      transport: config.transport,
      limiter: config.limiter,
      logger: config.logger ?? silentLogger,
      minorVersion: config.minorVersion ?? DEFAULT_MINOR_VERSION,
      retryPolicy: Object.freeze({ ...DEFAULT_RETRY_POLICY, ...config.retryPolicy }),
      clock: config.clock ?? systemRetryClock,
    });
  }

  /** Where a user can open a record in the QBO web app of this connection's environment. */
  recordUrl(entity: DeepLinkEntity, id: string): string {
    return qboRecordUrl(this.#endpoints, entity, id);
  }

  /** One page of a query; `build` adds conditions, order and paging to `select * from <entity>`. */
  async query<N extends QboEntityName>(entity: N, build: (q: QboQuery) => QboQuery = (q) => q): Promise<QueryPage<N>> {
    const query = build(QboQuery.select(entity));
    if (query.entity !== entity || query.isCount) throw new RangeError('query() builds on the given select');
    // https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
    const json = await this.#call({ operation: 'query', method: 'GET', path: 'query', params: { query: query.toString() } });
    const response = parseWire(QueryResponseSchema, json, 'query').QueryResponse;
    const rows = response[entity] ?? [];
    const items = parseWire(z.array(z.unknown()), rows, `${entity} query`).map((row) => parseEntity(entity, row));
    return {
      items,
      startPosition: response.startPosition ?? query.start ?? 1,
      maxResults: response.maxResults ?? items.length,
    };
  }

  /** Every row, page by page (QBO returns at most 1000 per page). */
  async queryAll<N extends QboEntityName>(
    entity: N,
    build: (q: QboQuery) => QboQuery = (q) => q,
    pageSize: number = QBO_MAX_RESULTS,
  ): Promise<QboEntity<N>[]> {
    const all: QboEntity<N>[] = [];
    for (let start = 1; ; start += pageSize) {
      const page = await this.query(entity, (q) => build(q).startPosition(start).maxResults(pageSize));
      all.push(...page.items);
      if (page.items.length < pageSize) return all;
    }
  }

  async count(entity: QboEntityName, build: (q: QboQuery) => QboQuery = (q) => q): Promise<number> {
    const query = build(QboQuery.count(entity));
    // https://developer.intuit.com/app/developer/qbo/docs/learn/explore-the-quickbooks-online-api/data-queries
    const json = await this.#call({ operation: 'count', method: 'GET', path: 'query', params: { query: query.toString() } });
    return parseWire(QueryResponseSchema, json, 'count').QueryResponse.totalCount ?? 0;
  }

  async read<N extends QboEntityName>(entity: N, id: string): Promise<QboEntity<N>> {
    // https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer#read-a-customer
    const json = await this.#call({
      operation: `read ${entity}`,
      method: 'GET',
      path: `${entityPath(entity)}/${encodeURIComponent(id)}`,
    });
    return parseEntity(entity, entityFrom(json, entity));
  }

  async create<N extends QboWritableEntityName>(entity: N, body: QboWriteBody, options: WriteOptions): Promise<QboEntity<N>> {
    // https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice#create-an-invoice
    const json = await this.#call({
      operation: `create ${entity}`,
      method: 'POST',
      path: entityPath(entity),
      body,
      requestId: requireRequestId(options),
    });
    return parseEntity(entity, entityFrom(json, entity));
  }

  async update<N extends QboWritableEntityName>(entity: N, body: QboUpdateBody, options: UpdateOptions): Promise<QboEntity<N>> {
    const sparse = options.sparse ?? true;
    // https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice#sparse-update-an-invoice
    const json = await this.#call({
      operation: `update ${entity}`,
      method: 'POST',
      path: entityPath(entity),
      body: { ...body, sparse },
      requestId: requireRequestId(options),
    });
    return parseEntity(entity, entityFrom(json, entity));
  }

  /** Up to 30 operations in one request; each comes back as its own success or typed failure. */
  async batch(items: readonly BatchRequestItem[], options: WriteOptions): Promise<BatchItemOutcome[]> {
    const requestId = requireRequestId(options);
    assertBatch(items, requestId);
    const request = items.map((item) =>
      'query' in item
        ? { bId: item.bId, Query: item.query.toString() }
        : {
            bId: item.bId,
            operation: item.operation,
            [item.entity]: item.operation === 'update' ? { ...item.body, sparse: item.sparse ?? true } : item.body,
          },
    );
    // https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/batch
    const json = await this.#call({
      operation: 'batch',
      method: 'POST',
      path: 'batch',
      body: { BatchItemRequest: request },
      requestId,
      kind: 'batch',
    });
    const responses = parseWire(ProviderBatchResponseSchema, json, 'batch').BatchItemResponse;
    const byId = new Map(responses.map((r) => [r.bId, r]));
    return items.map((item) => batchOutcome(item, byId.get(item.bId)));
  }

  async report<R extends QboReportName>(name: R, params: ReportParams[R]): Promise<ProviderReport> {
    const query = Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => typeof e[1] === 'string'));
    // https://developer.intuit.com/app/developer/qbo/docs/api/accounting/report-entities/profitandloss
    const json = await this.#call({ operation: `report ${name}`, method: 'GET', path: `reports/${name}`, params: query });
    return parseWire(ProviderReportSchema, json, name);
  }

  async companyInfo(): Promise<ProviderCompanyInfo> {
    // https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/companyinfo#read-companyinfo
    const json = await this.#call({
      operation: 'read CompanyInfo',
      method: 'GET',
      path: `companyinfo/${encodeURIComponent(this.realmId)}`,
    });
    return parseWire(ProviderCompanyInfoSchema, entityFrom(json, 'CompanyInfo'), 'CompanyInfo');
  }

  async preferences(): Promise<ProviderPreferences> {
    // https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/preferences#query-preferences
    const json = await this.#call({ operation: 'read Preferences', method: 'GET', path: 'preferences' });
    return parseWire(ProviderPreferencesSchema, entityFrom(json, 'Preferences'), 'Preferences');
  }

  /**
   * Rate limit, retry and the 401 dance for one logical call. Reads are always safe to resend; writes
   * only because they carry a requestid (the retry layer refuses otherwise).
   */
  async #call(spec: CallSpec): Promise<unknown> {
    const { retryPolicy, clock, logger } = this.#config;
    let refreshed = false;
    return withRetry(
      async (attempt) => {
        const token = await this.#config.getAccessToken({ forceRefresh: false });
        try {
          return await this.#send(spec, token, attempt);
        } catch (err) {
          if (!(err instanceof QboError) || err.code !== 'qbo_auth_failed' || refreshed) throw err;
          refreshed = true;
          const fresh = await this.#config.getAccessToken({ forceRefresh: true, rejectedToken: token });
          return await this.#send(spec, fresh, attempt);
        }
      },
      {
        policy: retryPolicy,
        clock,
        idempotent: spec.method === 'GET' || spec.requestId !== undefined,
        onRetry: ({ attempt, delayMs, error }) =>
          logger.warn({ qbo: { realmId: this.realmId, operation: spec.operation, attempt, delayMs, error: error.toJSON() } }, 'qbo retry'),
      },
    );
  }

  async #send(spec: CallSpec, token: string, attempt: number): Promise<unknown> {
    const { transport, limiter, logger, clock, minorVersion } = this.#config;
    const search = new URLSearchParams(spec.params);
    search.set('minorversion', String(minorVersion));
    if (spec.requestId !== undefined) search.set('requestid', spec.requestId);
    const url = `${companyBaseUrl(this.#endpoints, this.realmId)}/${spec.path}?${search.toString()}`;
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';

    const release = await limiter.acquire(this.realmId, spec.kind ?? 'request');
    const startedAt = clock.now();
    let status: number | undefined;
    try {
      let response: Response;
      let text: string;
      try {
        response = await transport.send({
          method: spec.method,
          url,
          headers,
          ...(spec.body === undefined ? {} : { body: toQboJson(spec.body) }),
        });
        status = response.status;
        text = await response.text();
      } catch (err) {
        throw transportFailure(err);
      }
      if (!response.ok) throw parseQboFault(response, text, clock.now());
      try {
        return JSON.parse(text) as unknown;
      } catch (err) {
        throw new QboError({
          code: 'qbo_unexpected_response',
          message: `QuickBooks answered ${spec.operation} with a body that is not JSON`,
          status,
          cause: err,
        });
      }
    } finally {
      release();
      logger.debug(
        { qbo: { realmId: this.realmId, operation: spec.operation, path: spec.path, attempt, status, ms: clock.now() - startedAt } },
        'qbo call',
      );
    }
  }
}

function entityFrom(json: unknown, key: string): unknown {
  return typeof json === 'object' && json !== null ? Object.getOwnPropertyDescriptor(json, key)?.value : undefined;
}

/** Enforced at runtime too: a write that could not be retried safely must not be sent at all. */
function requireRequestId(options: WriteOptions | undefined): RequestId {
  const parsed = RequestIdSchema.safeParse(options?.requestId);
  if (!parsed.success) throw new TypeError('Every QBO write needs a requestid of 1-50 characters [A-Za-z0-9._:-]');
  return parsed.data;
}

function assertBatch(items: readonly BatchRequestItem[], requestId: RequestId): void {
  if (items.length === 0 || items.length > QBO_BATCH_MAX_ITEMS) {
    throw new RangeError(`A batch holds 1..${QBO_BATCH_MAX_ITEMS} operations, got ${items.length}`);
  }
  if (requestId.length > BATCH_REQUEST_ID_MAX) {
    throw new RangeError(`A batch requestid is at most ${BATCH_REQUEST_ID_MAX} characters`);
  }
  const ids = new Set(items.map((i) => i.bId));
  if (ids.size !== items.length) throw new RangeError('Batch bIds must be unique');
  for (const id of ids) {
    if (id.length === 0 || id.length > BATCH_ID_MAX) throw new RangeError(`bId must be 1..${BATCH_ID_MAX} characters`);
  }
}

function batchOutcome(item: BatchRequestItem, response: Record<string, unknown> | undefined): BatchItemOutcome {
  const bId = item.bId;
  if (response === undefined) {
    return {
      bId,
      ok: false,
      error: new QboError({ code: 'qbo_batch_item_unanswered', message: `QuickBooks returned no answer for batch item ${bId}` }),
    };
  }
  const fault = response['Fault'];
  if (fault !== undefined) return { bId, ok: false, error: qboErrorFromFault(fault, 400) };
  try {
    if ('query' in item) {
      const entity = item.query.entity;
      const queryResponse = entityFrom(response, 'QueryResponse');
      const raw = parseWire(z.array(z.unknown()).default([]), entityFrom(queryResponse, entity), `${entity} query`);
      const rows = isQboEntityName(entity) ? raw.map((row) => parseEntity(entity, row)) : raw;
      return { bId, ok: true, kind: 'query', entity, rows };
    }
    return { bId, ok: true, kind: 'entity', ...entityValue(item.entity, response[item.entity]) };
  } catch (err) {
    if (err instanceof QboError) return { bId, ok: false, error: err };
    throw err;
  }
}

function entityValue<N extends QboWritableEntityName>(entity: N, value: unknown): EntityValue {
  const parsed: QboEntity<N> = parseEntity(entity, value);
  // TypeScript cannot correlate a generic N with the union member; parseEntity(entity) guarantees the pair.
  return { entity, value: parsed } as EntityValue;
}
