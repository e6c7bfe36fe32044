import type { z } from 'zod';
import { ApiErrorSchema } from '../../../../server/api/contract.js';
import {
  PushAllApprovedResultSchema,
  RetryAllResultSchema,
  RunProgressSchema,
  SYNC_CENTER_ROUTES,
  SyncHealthSchema,
  SyncHistorySchema,
  SyncJobDetailSchema,
  SyncJobSchema,
  syncCenterPath,
  type PushAllApprovedResult,
  type RetryAllResult,
  type RunProgress,
  type SyncHealth,
  type SyncHistory,
  type SyncHistoryQuery,
  type SyncJob,
  type SyncJobDetail,
} from '../../../../server/routes/sync-center/contract.js';

/** The Sync Center routes, parsed with the same schemas the server answers with. */
async function request<S extends z.ZodType>(method: string, url: string, schema: S): Promise<z.output<S>> {
  let response: Response;
  try {
    response = await fetch(url, { method, credentials: 'same-origin', cache: 'no-store', headers: { accept: 'application/json' } });
  } catch {
    throw new Error('Could not reach the server. Check your connection and try again.');
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const api = ApiErrorSchema.safeParse(body);
    throw new Error(api.success ? api.data.message : `The server answered ${response.status} ${response.statusText}`);
  }
  return schema.parse(body);
}

export function fetchHistory(query: SyncHistoryQuery): Promise<SyncHistory> {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (typeof value === 'string' || typeof value === 'number') params.set(key, String(value));
  }
  const text = params.toString();
  return request('GET', `${SYNC_CENTER_ROUTES.history.path}${text ? `?${text}` : ''}`, SyncHistorySchema);
}

export const fetchJob = (id: string): Promise<SyncJobDetail> => request('GET', syncCenterPath(SYNC_CENTER_ROUTES.job.path, id), SyncJobDetailSchema);

export const fetchHealth = (): Promise<SyncHealth> => request('GET', SYNC_CENTER_ROUTES.health.path, SyncHealthSchema);

export const retryJob = (id: string): Promise<SyncJob> => request('POST', syncCenterPath(SYNC_CENTER_ROUTES.retry.path, id), SyncJobSchema);

export const retryAllFailed = (): Promise<RetryAllResult> => request('POST', SYNC_CENTER_ROUTES.retryAll.path, RetryAllResultSchema);

export const pushAllApproved = (): Promise<PushAllApprovedResult> =>
  request('POST', SYNC_CENTER_ROUTES.pushAllApproved.path, PushAllApprovedResultSchema);

/**
 * Follows a run's progress over server-sent events; `onProgress` gets every change, the last one with done = true.
 * EventSource reconnects by itself after a dropped connection. Returns a function that stops listening.
 */
export function followRun(runId: string, onProgress: (progress: RunProgress) => void, onError: (message: string) => void): () => void {
  const source = new EventSource(syncCenterPath(SYNC_CENTER_ROUTES.runEvents.path, runId), { withCredentials: true });
  source.addEventListener('progress', (event) => {
    const parsed = RunProgressSchema.safeParse(JSON.parse((event as MessageEvent<string>).data));
    if (!parsed.success) {
      onError('The server sent progress Workroom does not understand.');
      return;
    }
    onProgress(parsed.data);
    if (parsed.data.done) source.close();
  });
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) onError('Lost the live progress; reload the page to see where the push stands.');
  };
  return () => source.close();
}
