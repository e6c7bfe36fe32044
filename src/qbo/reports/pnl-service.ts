import {
  err,
  ok,
  QboError,
  type ProfitAndLossParams,
  type QboClient,
  type QboEnvironment,
  type QboErrorCode,
  type QboPlatform,
  type Result,
} from '../client/index.js';
import {
  type DateRange,
  localToday,
  type PnlAccountingMethod,
  type PnlColumnMode,
  type PnlRangePreset,
  resolvePnlRange,
} from './date-range.js';
import { parseProfitAndLoss, type ProfitAndLoss } from './profit-and-loss.js';
import { qboProfitAndLossUrl } from './qbo-link.js';

/** What the P&L needs from the connection service: its status in words, and a client for the realm. */
export interface PnlConnections {
  status(orgId: string): Promise<{
    readonly status: 'not_connected' | 'connected' | 'needs_reconnect' | 'disconnected';
    readonly message: string | null;
    readonly company: { readonly name: string; readonly realmId: string; readonly environment: QboEnvironment } | null;
  }>;
  getClientFor(orgId: string): Promise<Result<Pick<QboClient, 'environment' | 'report'>, QboError>>;
}

export interface PnlServiceDeps {
  readonly connections: PnlConnections;
  /** For the link into the QBO web app of the connection's environment. */
  readonly platform: QboPlatform;
  /** The calendar day presets count from when the caller does not say; defaults to the server's. */
  readonly today?: () => string;
}

export interface PnlRequest {
  readonly range: PnlRangePreset;
  /** Only for `custom`. */
  readonly start?: string | undefined;
  readonly end?: string | undefined;
  readonly method: PnlAccountingMethod;
  readonly columns: PnlColumnMode;
  /** The user's calendar day, so "this month" means their month. */
  readonly today?: string | undefined;
}

export interface PnlResult {
  readonly range: DateRange & { readonly preset: PnlRangePreset };
  readonly method: PnlAccountingMethod;
  readonly columns: PnlColumnMode;
  readonly company: { readonly name: string; readonly realmId: string; readonly environment: QboEnvironment };
  readonly qboUrl: string;
  readonly report: ProfitAndLoss;
}

/**
 * Every way the P&L can fail to appear, each shown as itself. A token problem is never turned into an
 * empty report: that is how "P&L says No data" happened when a token expired silently.
 */
export type PnlFailure =
  | { readonly kind: 'not_connected'; readonly message: string }
  | { readonly kind: 'needs_reconnect'; readonly message: string; readonly error: QboError | undefined }
  | { readonly kind: 'qbo_error'; readonly error: QboError };

/** Codes that mean the saved authorization no longer works, so only reconnecting helps. */
const TOKEN_PROBLEMS: ReadonlySet<QboErrorCode> = new Set(['qbo_needs_reconnect', 'qbo_auth_invalid_grant', 'qbo_auth_failed']);

const QBO_METHOD: Readonly<Record<PnlAccountingMethod, NonNullable<ProfitAndLossParams['accounting_method']>>> = {
  accrual: 'Accrual',
  cash: 'Cash',
};
const QBO_SUMMARIZE: Readonly<Record<PnlColumnMode, NonNullable<ProfitAndLossParams['summarize_column_by']>>> = {
  total: 'Total',
  month: 'Month',
  quarter: 'Quarter',
};

/** Reports → QuickBooks P&L: read live from QBO on every call; nothing is cached or stored. */
export class ProfitAndLossService {
  readonly #deps: Readonly<PnlServiceDeps & { today: () => string }>;

  constructor(deps: PnlServiceDeps) {
    this.#deps = Object.freeze({ today: () => localToday(), ...deps });
  }

  async profitAndLoss(orgId: string, request: PnlRequest): Promise<Result<PnlResult, PnlFailure>> {
    const range = resolvePnlRange(request.range, request.today ?? this.#deps.today(), request);
    const connection = await this.#deps.connections.status(orgId);
    if (connection.status === 'not_connected' || connection.status === 'disconnected' || connection.company === null) {
      return err({ kind: 'not_connected', message: 'QuickBooks is not connected. Connect it in Settings → Apps.' });
    }
    if (connection.status === 'needs_reconnect') {
      return err({ kind: 'needs_reconnect', message: connection.message ?? 'QuickBooks needs to be reconnected.', error: undefined });
    }
    const client = await this.#deps.connections.getClientFor(orgId);
    if (!client.ok) return err(await this.#failure(orgId, client.error));

    let raw: unknown;
    try {
      raw = await client.value.report('ProfitAndLoss', {
        start_date: range.start,
        end_date: range.end,
        accounting_method: QBO_METHOD[request.method],
        summarize_column_by: QBO_SUMMARIZE[request.columns],
      });
    } catch (cause) {
      if (cause instanceof QboError) return err(await this.#failure(orgId, cause));
      throw cause;
    }
    let report: ProfitAndLoss;
    try {
      report = parseProfitAndLoss(raw);
    } catch (cause) {
      return err({
        kind: 'qbo_error',
        error: new QboError({
          code: 'qbo_unexpected_response',
          message: `QuickBooks answered the Profit and Loss request with a report Workroom cannot read: ${describe(cause)}`,
          cause,
        }),
      });
    }
    const environment = client.value.environment;
    return ok({
      range: { preset: request.range, ...range },
      method: request.method,
      columns: request.columns,
      company: { ...connection.company, environment },
      qboUrl: qboProfitAndLossUrl(this.#deps.platform.environments[environment], {
        range,
        method: request.method,
        columns: request.columns,
      }),
      report,
    });
  }

  /** A token failure is a reconnect, worded by the connection's own status once refresh has recorded it. */
  async #failure(orgId: string, error: QboError): Promise<PnlFailure> {
    if (!TOKEN_PROBLEMS.has(error.code)) return { kind: 'qbo_error', error };
    const now = await this.#deps.connections.status(orgId);
    if (now.status === 'not_connected' || now.status === 'disconnected') {
      return { kind: 'not_connected', message: 'QuickBooks is not connected. Connect it in Settings → Apps.' };
    }
    return { kind: 'needs_reconnect', message: now.message ?? error.message, error };
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
