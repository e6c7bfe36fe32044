/**
 * The one catalog of QBO failure codes. Every code carries the HTTP status it usually arrives with,
 * whether it is worth retrying by itself, and the sentence the Sync Center shows next to QBO's own message.
 */
export const QBO_ERROR_CATALOG = {
  qbo_auth_invalid_grant: {
    status: 400,
    retryable: false,
    syncCenter: 'QuickBooks rejected the saved authorization. Reconnect QuickBooks to continue.',
  },
  qbo_auth_failed: {
    status: 401,
    retryable: false,
    syncCenter: 'QuickBooks did not accept the access token. Reconnect QuickBooks if this keeps happening.',
  },
  qbo_oauth_failed: {
    status: 400,
    retryable: false,
    syncCenter: 'Intuit refused the sign-in request. Check the app credentials and redirect URL.',
  },
  qbo_forbidden: {
    status: 403,
    retryable: false,
    syncCenter: 'This QuickBooks user or app is not allowed to do that.',
  },
  qbo_needs_reconnect: {
    status: null,
    retryable: false,
    syncCenter: 'QuickBooks needs to be reconnected before anything else can be pushed.',
  },
  qbo_stale_sync_token: {
    status: 400,
    retryable: false,
    syncCenter: 'The record changed in QuickBooks since it was last read. Push again to update the latest version.',
  },
  qbo_duplicate_name: {
    status: 400,
    retryable: false,
    syncCenter: 'Another customer, vendor or employee in QuickBooks already uses this name.',
  },
  qbo_duplicate_doc_number: {
    status: 400,
    retryable: false,
    syncCenter: 'QuickBooks already has a document with this number.',
  },
  qbo_not_found: {
    status: 400,
    retryable: false,
    syncCenter: 'A record this document refers to is missing or inactive in QuickBooks.',
  },
  qbo_invalid_reference: {
    status: 400,
    retryable: false,
    syncCenter: 'A customer, vendor, item, account or tax code this document refers to does not exist in QuickBooks.',
  },
  qbo_required_param_missing: {
    status: 400,
    retryable: false,
    syncCenter: 'QuickBooks needs a value that was not sent.',
  },
  qbo_business_validation: {
    status: 400,
    retryable: false,
    syncCenter: 'QuickBooks refused the document under its business rules.',
  },
  qbo_validation: {
    status: 400,
    retryable: false,
    syncCenter: 'QuickBooks refused the request as invalid.',
  },
  qbo_rate_limited: {
    status: 429,
    retryable: true,
    syncCenter: 'QuickBooks asked us to slow down. The push will retry by itself.',
  },
  qbo_service_unavailable: {
    status: 503,
    retryable: true,
    syncCenter: 'QuickBooks is temporarily unavailable. The push will retry by itself.',
  },
  qbo_timeout: {
    status: null,
    retryable: true,
    syncCenter: 'QuickBooks took too long to answer. The push will retry by itself.',
  },
  qbo_network: {
    status: null,
    retryable: true,
    syncCenter: 'QuickBooks could not be reached. The push will retry by itself.',
  },
  qbo_environment_unknown: {
    status: null,
    retryable: false,
    syncCenter: 'The QuickBooks company answered on neither production nor sandbox.',
  },
  qbo_unexpected_response: {
    status: null,
    retryable: false,
    syncCenter: 'QuickBooks answered in a form Workroom does not understand.',
  },
  qbo_batch_item_unanswered: {
    status: null,
    retryable: false,
    syncCenter: 'QuickBooks answered the batch without this document, so nothing was written for it. It is sent again on its own.',
  },
} as const satisfies Record<string, { status: number | null; retryable: boolean; syncCenter: string }>;

export type QboErrorCode = keyof typeof QBO_ERROR_CATALOG;
export const QBO_ERROR_CODES = Object.keys(QBO_ERROR_CATALOG) as QboErrorCode[];

export interface QboErrorInit {
  readonly code: QboErrorCode;
  /** QBO's own error code, e.g. "6240"; absent when the failure never reached QBO. */
  readonly qboCode?: string | undefined;
  /** QBO's own Message (shown verbatim) or our description when QBO said nothing. */
  readonly message: string;
  readonly detail?: string | undefined;
  readonly element?: string | undefined;
  readonly status?: number | undefined;
  readonly intuitTid?: string | undefined;
  readonly retryAfterMs?: number | undefined;
  readonly cause?: unknown;
}

export class QboError extends Error {
  override readonly name = 'QboError';
  readonly code: QboErrorCode;
  readonly qboCode: string | undefined;
  readonly detail: string | undefined;
  readonly element: string | undefined;
  readonly status: number | undefined;
  readonly intuitTid: string | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(init: QboErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.qboCode = init.qboCode;
    this.detail = init.detail;
    this.element = init.element;
    this.status = init.status;
    this.intuitTid = init.intuitTid;
    this.retryAfterMs = init.retryAfterMs;
  }

  get retryable(): boolean {
    return QBO_ERROR_CATALOG[this.code].retryable;
  }

  get syncCenterMessage(): string {
    return QBO_ERROR_CATALOG[this.code].syncCenter;
  }

  /** Safe to log or store: no tokens can be in here, only QBO's answer and our classification. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      qboCode: this.qboCode,
      message: this.message,
      detail: this.detail,
      element: this.element,
      status: this.status,
      intuitTid: this.intuitTid,
      retryAfterMs: this.retryAfterMs,
    };
  }
}
