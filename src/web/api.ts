import type { z } from 'zod';
import {
  api,
  ApiErrorSchema,
  buildPath,
  type Api,
  type ApiBody,
  type ApiErrorCode,
  type ApiParams,
  type ApiQuery,
  type ApiSuccess,
  type EndpointName,
} from '../server/api/contract.js';

/**
 * The browser's client for the HTTP API. Paths, methods and response schemas come from the server's
 * contract, so a route change that the UI does not follow fails to compile instead of failing at runtime.
 */

/** A non-2xx answer, with the server's code, message and (for validation) the offending fields. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly field: string | undefined,
    /** Every offending field ("lines.0.quantity") and its message; the first one also in `field`. */
    readonly fieldErrors: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

type Has<N extends EndpointName, K extends string> = Api[N] extends Record<K, z.ZodType> ? true : false;

/** Exactly the parts an endpoint takes: params when its path has any, body when it takes one. */
export type CallArgs<N extends EndpointName> = (Has<N, 'params'> extends true ? { params: ApiParams<N> } : unknown) &
  (Has<N, 'querystring'> extends true ? { query?: ApiQuery<N> } : unknown) &
  (Has<N, 'body'> extends true ? { body: ApiBody<N> } : unknown);

type ArgsTuple<N extends EndpointName> = Has<N, 'params'> extends true
  ? [args: CallArgs<N>]
  : Has<N, 'body'> extends true
    ? [args: CallArgs<N>]
    : [args?: CallArgs<N>];

interface RawArgs {
  params?: Record<string, string>;
  query?: Record<string, QueryValue>;
  body?: unknown;
}

let onUnauthorized: () => void = () => undefined;

/** The app registers what a 401 means (back to the login page) once, instead of every page checking. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export async function call<N extends EndpointName>(name: N, ...rest: ArgsTuple<N>): Promise<ApiSuccess<N>> {
  const endpoint = api[name];
  const args = (rest[0] ?? {}) as RawArgs;
  const url = buildPath(endpoint.path, args.params) + queryString(args.query);
  const response = await fetch(url, {
    method: endpoint.method,
    credentials: 'same-origin',
    headers: args.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: args.body === undefined ? null : JSON.stringify(args.body),
  });
  if (!response.ok) throw await toError(response, name);
  const schema = endpoint.success.schema;
  if (schema === null) return undefined as ApiSuccess<N>;
  return schema.parse(await response.json()) as ApiSuccess<N>;
}

type QueryValue = string | number | boolean | null | undefined;

function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function toError(response: Response, name: EndpointName): Promise<ApiRequestError> {
  const body: unknown = await response.json().catch(() => null);
  const parsed = ApiErrorSchema.safeParse(body);
  // A lapsed session anywhere except the login form itself sends the user back to log in.
  if (response.status === 401 && name !== 'login' && name !== 'me') onUnauthorized();
  if (!parsed.success) {
    return new ApiRequestError(response.status, 'internal', `The server answered ${response.status} ${response.statusText}`, undefined, {});
  }
  const { error, message, field, errors } = parsed.data;
  const fieldErrors: Record<string, string> = {};
  for (const issue of errors ?? []) fieldErrors[issue.path] ??= issue.message;
  if (field !== undefined) fieldErrors[field] ??= message;
  return new ApiRequestError(response.status, error, message, field, fieldErrors);
}

/** A message for a banner: the server's own words, or what went wrong on the way there. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiRequestError) return err.field ? `${err.field}: ${err.message}` : err.message;
  if (err instanceof TypeError) return 'Could not reach the server. Check your connection and try again.';
  return err instanceof Error ? err.message : String(err);
}
