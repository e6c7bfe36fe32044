import { QboError, type QboErrorCode } from '../client/index.js';
import { MAPPING_PROBLEM_TITLES, type MappingProblem } from '../mapping/index.js';
import type { PartyRole } from './party-match.js';

/** The help page's troubleshooting headings, plus a few of our own for cases it does not name. */
export const PUSH_FAILURE_TITLES = {
  ...MAPPING_PROBLEM_TITLES,
  customer_conflict: 'Customer not found',
  vendor_conflict: 'Vendor not found',
  possible_duplicate: 'Possible duplicate',
  record_missing: 'Record missing or inactive in QuickBooks',
  document_not_found: 'Document not found',
  wrong_company: 'Connected to another company',
  quickbooks: 'QuickBooks refused the push',
  unavailable: 'QuickBooks unavailable',
  needs_reconnect: 'QuickBooks needs reconnecting',
} as const;
export type PushFailureTitleKey = keyof typeof PUSH_FAILURE_TITLES;

/**
 * Why a push did not reach QBO or was refused there. `message` is QBO's own text, verbatim, when QBO said it;
 * `title` files it under the help page's heading ("Account not specified for line item", "Customer not found",
 * "Tax code mismatch"…).
 */
export interface PushFailure {
  /** A QboErrorCode when QBO (or the way there) failed; a mapping problem kind when Workroom refused first. */
  readonly code: string;
  readonly title: string;
  readonly message: string;
  /** QBO's own error code, e.g. "6000". */
  readonly qboCode?: string | undefined;
  readonly detail?: string | undefined;
  /** QBO's element, or the Workroom field that blocked creating a customer or vendor. */
  readonly element?: string | undefined;
  /** Transient (429, 5xx, timeout, network, an access token that needs refreshing): try again later by itself. */
  readonly retryable: boolean;
  readonly retryAfterMs?: number | undefined;
  /** QBO (or Workroom) refused outright, so nothing was written under the current requestids. */
  readonly definitiveRejection: boolean;
  readonly problems?: readonly MappingProblem[];
}

/** Every problem of a payload that could not be built, reported at once and filed under the first one's heading. */
export function failureFromProblems(problems: readonly MappingProblem[]): PushFailure {
  const first = problems[0];
  const kind = first?.kind ?? 'account_not_specified';
  return {
    code: kind,
    title: PUSH_FAILURE_TITLES[kind],
    message: problems.map((p) => p.message).join('\n'),
    element: first !== undefined && 'field' in first ? first.field : undefined,
    retryable: false,
    definitiveRejection: true,
    problems,
  };
}

// An access token QBO refused even after one refresh is usually a refresh that has not landed yet: try later.
const RETRY_LATER: ReadonlySet<QboErrorCode> = new Set(['qbo_auth_failed']);
const NOT_DEFINITIVE: ReadonlySet<QboErrorCode> = new Set([
  'qbo_rate_limited',
  'qbo_service_unavailable',
  'qbo_timeout',
  'qbo_network',
  'qbo_auth_failed',
  'qbo_needs_reconnect',
  'qbo_unexpected_response',
  'qbo_batch_item_unanswered',
]);

/** Which troubleshooting heading a QBO fault belongs under, from where QBO says it happened and what it says. */
export function titleForQboError(error: QboError, role: PartyRole | null = null): string {
  const where = `${error.element ?? ''} ${error.detail ?? ''}`;
  const text = `${where} ${error.message}`;
  if (error.code === 'qbo_needs_reconnect' || error.code === 'qbo_auth_invalid_grant') return PUSH_FAILURE_TITLES.needs_reconnect;
  if (error.retryable || error.code === 'qbo_auth_failed') return PUSH_FAILURE_TITLES.unavailable;
  // 610's own detail lists every kind of record ("accounts, customers, items…"), so only an element names one.
  if (error.code === 'qbo_not_found' && (error.element ?? '') === '') {
    if (role === 'customer') return PUSH_FAILURE_TITLES.customer_not_found;
    if (role === 'vendor') return PUSH_FAILURE_TITLES.vendor_not_found;
    return PUSH_FAILURE_TITLES.record_missing;
  }
  if (/TaxCode|TxnTaxDetail|GST|HST|sales tax|tax code|tax rate/i.test(text)) return PUSH_FAILURE_TITLES.tax_code_mismatch;
  if (/AccountRef|ItemRef|income account|expense account|account/i.test(where)) return PUSH_FAILURE_TITLES.account_not_specified;
  if (/CustomerRef/i.test(where) || role === 'customer') return PUSH_FAILURE_TITLES.customer_not_found;
  if (/VendorRef/i.test(where) || role === 'vendor') return PUSH_FAILURE_TITLES.vendor_not_found;
  return PUSH_FAILURE_TITLES.quickbooks;
}

export function failureFromQboError(error: QboError, options: { role?: PartyRole; message?: string; element?: string } = {}): PushFailure {
  return {
    code: error.code,
    title: titleForQboError(error, options.role ?? null),
    message: options.message ?? error.message,
    qboCode: error.qboCode,
    detail: error.detail,
    element: options.element ?? error.element,
    retryable: error.retryable || RETRY_LATER.has(error.code),
    retryAfterMs: error.retryAfterMs,
    definitiveRejection: !NOT_DEFINITIVE.has(error.code),
  };
}

/** Runs a QBO step; a QboError becomes a value, anything else is a bug and propagates. */
export async function qboStep<T>(run: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: QboError }> {
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    if (err instanceof QboError) return { ok: false, error: err };
    throw err;
  }
}

const CUSTOMER_FIELDS: readonly [RegExp, string][] = [
  [/DisplayName|CompanyName|GivenName|FamilyName|\bname\b/i, 'clientInformation.name'],
  [/PrimaryEmailAddr|email/i, 'clientInformation.email'],
  [/PrimaryPhone|phone/i, 'clientInformation.phone'],
  [/BillAddr\.Line1|street/i, 'clientInformation.billingAddress.line1'],
  [/BillAddr\.City|\bcity\b/i, 'clientInformation.billingAddress.city'],
  [/BillAddr\.CountrySubDivisionCode|state|province/i, 'clientInformation.billingAddress.region'],
  [/BillAddr\.PostalCode|postal|zip/i, 'clientInformation.billingAddress.postalCode'],
  [/BillAddr\.Country|country/i, 'clientInformation.billingAddress.country'],
  [/BillAddr|address/i, 'clientInformation.billingAddress'],
];

const VENDOR_FIELDS: readonly [RegExp, string][] = CUSTOMER_FIELDS.map(([pattern, field]) => [
  pattern,
  field.replace('clientInformation.billingAddress', 'address').replace('clientInformation.', ''),
]);

/**
 * The Workroom field behind a refused Customer/Vendor create: QBO's element when it names one, else the first
 * field its message mentions. Undefined when QBO gave no clue.
 */
export function partyFieldFor(error: QboError, role: PartyRole): string | undefined {
  const table = role === 'customer' ? CUSTOMER_FIELDS : VENDOR_FIELDS;
  for (const text of [error.element ?? '', `${error.detail ?? ''} ${error.message}`]) {
    if (text.trim() === '') continue;
    const hit = table.find(([pattern]) => pattern.test(text));
    if (hit) return hit[1];
  }
  return undefined;
}

/**
 * The heading in front of the message, as the help page words it ("Account not specified for line item: …"),
 * unless the message already starts with it; QBO's own words follow unchanged.
 */
export function headedFailureMessage(failure: Pick<PushFailure, 'title' | 'message'>): string {
  return failure.message.startsWith(failure.title) ? failure.message : `${failure.title}: ${failure.message}`;
}
