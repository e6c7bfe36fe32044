import { QboError, type QboErrorCode } from './errors.js';
import { IntuitOAuthErrorSchema, ProviderFaultBodySchema, type ProviderFaultError } from './wire/fault.js';

const CODE_BY_QBO_CODE: Readonly<Record<string, QboErrorCode>> = {
  '610': 'qbo_not_found',
  '2020': 'qbo_required_param_missing',
  '2500': 'qbo_invalid_reference',
  '3001': 'qbo_rate_limited',
  '3100': 'qbo_forbidden',
  '3200': 'qbo_auth_failed',
  '5010': 'qbo_stale_sync_token',
  '6000': 'qbo_business_validation',
  '6140': 'qbo_duplicate_doc_number',
  '6240': 'qbo_duplicate_name',
};

export interface ResponseMeta {
  readonly status: number;
  readonly headers: Headers;
}

/** Turn a non-2xx Accounting API answer (Fault JSON, throttle text or nothing) into a typed error. */
export function parseQboFault(meta: ResponseMeta, bodyText: string, now: number = Date.now()): QboError {
  const json = parseJson(bodyText);
  const faultError = json === undefined ? undefined : firstFaultError(json);
  const qboCode = faultError?.code ?? throttleCode(bodyText);
  return new QboError({
    code: classify(meta.status, qboCode),
    qboCode,
    message: faultError?.Message ?? (bodyText.trim().slice(0, 500) || `QuickBooks answered HTTP ${meta.status}`),
    detail: faultError?.Detail,
    element: faultError?.element || undefined,
    status: meta.status,
    intuitTid: meta.headers.get('intuit_tid') ?? undefined,
    retryAfterMs: parseRetryAfter(meta.headers.get('retry-after'), now),
  });
}

/** A Fault object found inside a 200 answer (one failed item of a batch). */
export function qboErrorFromFault(fault: unknown, status: number): QboError {
  const faultError = firstFaultError({ Fault: fault });
  return new QboError({
    code: classify(status, faultError?.code),
    qboCode: faultError?.code,
    message: faultError?.Message ?? 'QuickBooks reported a fault without a message',
    detail: faultError?.Detail,
    element: faultError?.element || undefined,
    status,
  });
}

/** Intuit's OAuth endpoints answer `{"error":"invalid_grant",…}` rather than a Fault. */
export function parseOAuthError(meta: ResponseMeta, bodyText: string, now: number = Date.now()): QboError {
  const parsed = IntuitOAuthErrorSchema.safeParse(parseJson(bodyText));
  if (!parsed.success) return parseQboFault(meta, bodyText, now);
  const { error, error_description: description } = parsed.data;
  const code: QboErrorCode =
    error === 'invalid_grant'
      ? 'qbo_auth_invalid_grant'
      : meta.status === 429
        ? 'qbo_rate_limited'
        : meta.status >= 500
          ? 'qbo_service_unavailable'
          : 'qbo_oauth_failed';
  return new QboError({
    code,
    qboCode: error,
    message: description ?? error,
    status: meta.status,
    intuitTid: meta.headers.get('intuit_tid') ?? undefined,
    retryAfterMs: parseRetryAfter(meta.headers.get('retry-after'), now),
  });
}

/** Errors thrown by the transport itself (no HTTP answer at all). */
export function transportFailure(cause: unknown): QboError {
  if (cause instanceof QboError) return cause;
  const name = cause instanceof Error ? cause.name : '';
  const timedOut = name === 'TimeoutError' || name === 'AbortError';
  return new QboError({
    code: timedOut ? 'qbo_timeout' : 'qbo_network',
    message: timedOut ? 'QuickBooks did not answer in time' : `QuickBooks could not be reached: ${describe(cause)}`,
    cause,
  });
}

export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function classify(status: number, qboCode: string | undefined): QboErrorCode {
  if (status === 401) return 'qbo_auth_failed';
  if (status === 403) return 'qbo_forbidden';
  if (status === 429) return 'qbo_rate_limited';
  if (status >= 500) return 'qbo_service_unavailable';
  const known = qboCode === undefined ? undefined : CODE_BY_QBO_CODE[qboCode];
  if (known !== undefined) return known;
  return status === 404 ? 'qbo_not_found' : 'qbo_validation';
}

/** QBO's 401 bodies use lower-case keys (`fault.error[].message`); normalise before validating. */
function firstFaultError(json: unknown): ProviderFaultError | undefined {
  const parsed = ProviderFaultBodySchema.safeParse(normaliseFaultKeys(json));
  return parsed.success ? parsed.data.Fault.Error[0] : undefined;
}

function normaliseFaultKeys(json: unknown): unknown {
  if (!isRecord(json)) return json;
  const fault = json['Fault'] ?? json['fault'];
  if (!isRecord(fault)) return json;
  const errors = fault['Error'] ?? fault['error'];
  return {
    Fault: {
      type: fault['type'],
      Error: Array.isArray(errors)
        ? errors.map((e: unknown) =>
            isRecord(e)
              ? {
                  Message: e['Message'] ?? e['message'],
                  Detail: e['Detail'] ?? e['detail'],
                  code: e['code'] ?? e['Code'],
                  element: e['element'] ?? e['Element'],
                }
              : e,
          )
        : [],
    },
  };
}

/** The throttle answer is sometimes plain text: `message=ThrottleExceeded; errorCode=003001; statusCode=429`. */
function throttleCode(bodyText: string): string | undefined {
  const match = /errorCode=0*(\d+)/.exec(bodyText);
  return match?.[1];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? ` (${cause.cause.message})` : '';
    return `${cause.message}${inner}`;
  }
  return String(cause);
}
