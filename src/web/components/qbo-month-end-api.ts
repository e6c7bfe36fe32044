import type { z } from 'zod';
import { ApiErrorSchema } from '../../server/api/contract.js';
import {
  DismissalSchema,
  DriftReportSchema,
  QBO_DRIFT_ROUTES,
  RepushResultSchema,
  type DismissalView,
  type DriftReportResponse,
  type RepushResponse,
} from '../../server/routes/qbo-drift/contract.js';
import {
  LinkSearchPageSchema,
  PartyLinkViewSchema,
  QBO_LINK_ROUTES,
  type LinkKind,
  type LinkSearchPage,
  type PartyLinkView,
} from '../../server/routes/qbo-links/contract.js';

/** The month-end routes (links, drift, dismiss), parsed with the same schemas the server answers with. */

function fill(path: string, params: Readonly<Record<string, string>>): string {
  return path.replace(/:([a-zA-Z]+)/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
}

async function request<S extends z.ZodType>(method: string, url: string, schema: S, body?: unknown): Promise<z.output<S>> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    throw new Error('Could not reach the server. Check your connection and try again.');
  }
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const api = ApiErrorSchema.safeParse(json);
    throw new Error(api.success ? api.data.message : `The server answered ${response.status} ${response.statusText}`);
  }
  return schema.parse(json);
}

export const fetchPartyLink = (kind: LinkKind, id: string): Promise<PartyLinkView> =>
  request('GET', fill(QBO_LINK_ROUTES.view.path, { kind, id }), PartyLinkViewSchema);

export function searchQboParties(kind: LinkKind, id: string, q: string, page: number): Promise<LinkSearchPage> {
  const query = new URLSearchParams({ q, page: String(page) }).toString();
  return request('GET', `${fill(QBO_LINK_ROUTES.search.path, { kind, id })}?${query}`, LinkSearchPageSchema);
}

export const linkParty = (kind: LinkKind, id: string, qboId: string): Promise<PartyLinkView> =>
  request('PUT', fill(QBO_LINK_ROUTES.link.path, { kind, id }), PartyLinkViewSchema, { qboId });

export const unlinkParty = (kind: LinkKind, id: string): Promise<PartyLinkView> =>
  request('DELETE', fill(QBO_LINK_ROUTES.unlink.path, { kind, id }), PartyLinkViewSchema);

export const createPartyAnyway = (kind: LinkKind, id: string): Promise<PartyLinkView> =>
  request('POST', fill(QBO_LINK_ROUTES.createAnyway.path, { kind, id }), PartyLinkViewSchema);

export const fetchDrift = (): Promise<DriftReportResponse> => request('GET', QBO_DRIFT_ROUTES.report.path, DriftReportSchema);

export const DRIFT_CSV_URL = QBO_DRIFT_ROUTES.csv.path;

export const repushDocuments = (documentIds: readonly string[]): Promise<RepushResponse> =>
  request('POST', QBO_DRIFT_ROUTES.repush.path, RepushResultSchema, { documentIds });

export const dismissPush = (jobId: string, reason: string): Promise<DismissalView> =>
  request('POST', fill(QBO_DRIFT_ROUTES.dismiss.path, { id: jobId }), DismissalSchema, { reason });
