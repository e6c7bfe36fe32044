import {
  PnlConnectionProblemSchema,
  PnlQboErrorSchema,
  PnlResponseSchema,
  QBO_REPORT_ROUTES,
  type PnlConnectionProblem,
  type PnlQboError,
  type PnlQuery,
  type PnlResponse,
} from '../../../server/routes/qbo-reports/contract.js';
import { ApiErrorSchema } from '../../../server/api/contract.js';

/** Every answer the P&L route can give, each kept apart so the page can say exactly what happened. */
export type PnlOutcome =
  | { readonly state: 'report'; readonly data: PnlResponse }
  | { readonly state: 'connection'; readonly problem: PnlConnectionProblem }
  | { readonly state: 'qbo_error'; readonly error: PnlQboError }
  | { readonly state: 'failed'; readonly status: number | null; readonly message: string };

function queryString(query: PnlQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (typeof value === 'string' && value !== '') params.set(key, value);
  return params.toString();
}

export async function fetchProfitAndLoss(query: PnlQuery, signal?: AbortSignal): Promise<PnlOutcome> {
  let response: Response;
  try {
    response = await fetch(`${QBO_REPORT_ROUTES.profitAndLoss.path}?${queryString(query)}`, {
      method: QBO_REPORT_ROUTES.profitAndLoss.method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { accept: 'application/json' },
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    return { state: 'failed', status: null, message: 'Could not reach the server. Check your connection and try again.' };
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) return { state: 'report', data: PnlResponseSchema.parse(body) };
  if (response.status === 409) {
    const problem = PnlConnectionProblemSchema.safeParse(body);
    if (problem.success) return { state: 'connection', problem: problem.data };
  }
  if (response.status === 502) {
    const error = PnlQboErrorSchema.safeParse(body);
    if (error.success) return { state: 'qbo_error', error: error.data };
  }
  const api = ApiErrorSchema.safeParse(body);
  return {
    state: 'failed',
    status: response.status,
    message: api.success ? api.data.message : `The server answered ${response.status} ${response.statusText}`,
  };
}
