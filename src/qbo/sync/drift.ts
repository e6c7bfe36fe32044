import { Decimal } from 'decimal.js';
import type { DocumentStatus, DocumentType } from '../../domain/lifecycle.js';
import { formatMoney } from '../../domain/money.js';

/**
 * The drift report's pure half: given what Workroom holds, what the last push recorded and what QBO answers now,
 * which documents (and remembered customers/vendors) no longer agree, and in which fields. Browser-safe: no
 * database and no HTTP here, so the page and the server share the kinds and their wording.
 */

export const DRIFT_KINDS = [
  'changed_in_qbo',
  'deleted_in_qbo',
  'voided_in_qbo',
  'edited_in_workroom',
  'not_pushed',
  'party_renamed_in_qbo',
  'party_inactive_in_qbo',
  'party_missing_in_qbo',
] as const;
export type DriftKind = (typeof DRIFT_KINDS)[number];

export const DRIFT_KIND_LABELS: Readonly<Record<DriftKind, string>> = {
  changed_in_qbo: 'Changed in QuickBooks after the push',
  deleted_in_qbo: 'Deleted in QuickBooks',
  voided_in_qbo: 'Voided in QuickBooks',
  edited_in_workroom: 'Edited in Workroom since the push',
  not_pushed: 'Issued but not in QuickBooks',
  party_renamed_in_qbo: 'Renamed in QuickBooks',
  party_inactive_in_qbo: 'Made inactive in QuickBooks',
  party_missing_in_qbo: 'Missing in QuickBooks',
};

export const DRIFT_SUBJECTS = ['estimate', 'invoice', 'purchase_order', 'client', 'vendor'] as const;
export type DriftSubjectType = (typeof DRIFT_SUBJECTS)[number];

export interface DriftDifference {
  readonly field: string;
  readonly workroom: string;
  readonly qbo: string;
}

export interface DriftRow {
  readonly kind: DriftKind;
  readonly subjectType: DriftSubjectType;
  /** documents.id, clients.id or vendors.id. */
  readonly subjectId: string;
  /** The document number or the party name. */
  readonly label: string;
  /** For documents: the client or vendor name. */
  readonly partyName: string | null;
  readonly qboId: string | null;
  readonly qboUpdatedAt: string | null;
  readonly differences: readonly DriftDifference[];
  /** Extra words, e.g. the last push's error for a document that never reached QBO. */
  readonly note: string | null;
  /** A document row can be pushed again from the report; party rows are fixed on the party. */
  readonly canRepush: boolean;
  /** The document's latest push job when it failed: the row offers Dismiss for it. */
  readonly failedJobId: string | null;
}

export interface WorkroomDocumentState {
  readonly id: string;
  readonly type: DocumentType;
  readonly number: string;
  readonly status: DocumentStatus;
  readonly revision: number;
  readonly total: string;
  readonly issueDate: string;
  readonly dueDate: string | null;
  readonly partyName: string | null;
}

/** What the last successful push recorded (document_pushes). */
export interface PushRecord {
  readonly qboId: string;
  readonly syncToken: string | null;
  readonly pushedRevision: number | null;
  readonly pushedAt: string | null;
  readonly workroomTotal: string | null;
  readonly qboTotal: string | null;
  readonly qboDocNumber: string | null;
  readonly partyQboId: string | null;
}

/** The fields of the QBO copy the report compares, read back now. */
export interface QboDocumentState {
  readonly id: string;
  readonly syncToken: string;
  readonly totalAmt: string | null;
  readonly docNumber: string | null;
  readonly txnDate: string | null;
  readonly dueDate: string | null;
  readonly partyRef: { readonly value: string; readonly name?: string | undefined } | null;
  readonly privateNote: string | null;
  readonly lastUpdatedTime: string | null;
}

const TYPE_WORDS: Readonly<Record<DocumentType, { label: string; party: string }>> = {
  estimate: { label: 'Estimate', party: 'Customer' },
  invoice: { label: 'Invoice', party: 'Customer' },
  purchase_order: { label: 'Purchase order', party: 'Vendor' },
};

export const SUBJECT_LABELS: Readonly<Record<DriftSubjectType, string>> = {
  estimate: 'Estimate',
  invoice: 'Invoice',
  purchase_order: 'Purchase order',
  client: 'Client',
  vendor: 'Vendor',
};

function sameAmount(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return new Decimal(a).equals(b);
}

const money = (value: string | null): string => (value === null ? '—' : formatMoney(value));

/**
 * QBO's void keeps the transaction with every amount zeroed and "Voided" in the private note. The note alone is
 * not proof (a user may type it), so the total must be zero too.
 */
export function isVoided(qbo: QboDocumentState): boolean {
  return /^voided\b/i.test(qbo.privateNote?.trim() ?? '') && qbo.totalAmt !== null && new Decimal(qbo.totalAmt).isZero();
}

/** The fields a user recognises, where the QBO copy and Workroom disagree now. */
export function documentDifferences(doc: WorkroomDocumentState, push: PushRecord, qbo: QboDocumentState): DriftDifference[] {
  const out: DriftDifference[] = [];
  // Against QBO's own total at push time, so a known rounding difference from the push is not reported again.
  if (!sameAmount(qbo.totalAmt, push.qboTotal ?? doc.total)) out.push({ field: 'Total', workroom: money(doc.total), qbo: money(qbo.totalAmt) });
  if (push.qboDocNumber !== null && qbo.docNumber !== push.qboDocNumber) {
    out.push({ field: 'Number', workroom: doc.number, qbo: qbo.docNumber ?? '—' });
  }
  if (qbo.txnDate !== null && qbo.txnDate !== doc.issueDate) out.push({ field: 'Date', workroom: doc.issueDate, qbo: qbo.txnDate });
  if (doc.type !== 'estimate' && qbo.dueDate !== null && doc.dueDate !== null && qbo.dueDate !== doc.dueDate) {
    out.push({ field: 'Due date', workroom: doc.dueDate, qbo: qbo.dueDate });
  }
  if (push.partyQboId !== null && qbo.partyRef !== null && qbo.partyRef.value !== push.partyQboId) {
    out.push({
      field: TYPE_WORDS[doc.type].party,
      workroom: doc.partyName ?? '—',
      qbo: qbo.partyRef.name ?? `QuickBooks id ${qbo.partyRef.value}`,
    });
  }
  return out;
}

function documentRow(
  kind: DriftKind,
  doc: WorkroomDocumentState,
  qboId: string | null,
  qboUpdatedAt: string | null,
  differences: DriftDifference[],
  note: string | null = null,
): DriftRow {
  return {
    kind,
    subjectType: doc.type,
    subjectId: doc.id,
    label: doc.number,
    partyName: doc.partyName,
    qboId,
    qboUpdatedAt,
    differences,
    note,
    canRepush: true,
    failedJobId: null,
  };
}

/**
 * Rows for one pushed document: `qbo` undefined means the record is gone from QBO (deleted). A document can be
 * both changed in QBO and edited in Workroom; each shows as its own row, since each explains a different fix.
 */
export function diffPushedDocument(doc: WorkroomDocumentState, push: PushRecord, qbo: QboDocumentState | undefined): DriftRow[] {
  const rows: DriftRow[] = [];
  if (qbo === undefined) {
    rows.push(
      documentRow('deleted_in_qbo', doc, push.qboId, null, [
        { field: 'Record', workroom: `${TYPE_WORDS[doc.type].label} ${doc.number}`, qbo: 'deleted' },
      ]),
    );
  } else if (isVoided(qbo)) {
    rows.push(
      documentRow('voided_in_qbo', doc, qbo.id, qbo.lastUpdatedTime, [{ field: 'Total', workroom: money(doc.total), qbo: `${money(qbo.totalAmt)} (voided)` }]),
    );
  } else {
    const tokenMoved = push.syncToken !== null && qbo.syncToken !== push.syncToken;
    const totalMoved = push.qboTotal !== null && !sameAmount(qbo.totalAmt, push.qboTotal);
    if (tokenMoved || totalMoved) {
      const differences = documentDifferences(doc, push, qbo);
      if (differences.length === 0) {
        // Edited in QBO in a field the report does not compare (a memo, a line description…).
        differences.push({ field: 'Version (SyncToken)', workroom: push.syncToken ?? '—', qbo: qbo.syncToken });
      }
      rows.push(documentRow('changed_in_qbo', doc, qbo.id, qbo.lastUpdatedTime, differences));
    }
  }
  if (push.pushedRevision !== null && doc.revision > push.pushedRevision) {
    const differences: DriftDifference[] = [{ field: 'Revision', workroom: String(doc.revision), qbo: String(push.pushedRevision) }];
    const pushedTotal = push.workroomTotal ?? push.qboTotal;
    if (!sameAmount(doc.total, pushedTotal)) {
      differences.push({ field: 'Total', workroom: money(doc.total), qbo: money(qbo?.totalAmt ?? push.qboTotal) });
    }
    rows.push(documentRow('edited_in_workroom', doc, push.qboId, qbo?.lastUpdatedTime ?? null, differences));
  }
  return rows;
}

/** An issued document with no record in this company file; `lastError` is the last failed push's message. */
export function notPushedRow(doc: WorkroomDocumentState, lastError: string | null): DriftRow {
  return documentRow('not_pushed', doc, null, null, [{ field: 'Record', workroom: `${TYPE_WORDS[doc.type].label} ${doc.number}`, qbo: 'not pushed' }], lastError);
}

export interface RememberedParty {
  readonly type: 'client' | 'vendor';
  readonly id: string;
  readonly name: string;
  readonly qboId: string;
  /** The SyncToken when Workroom last wrote or linked the record; null when unknown. */
  readonly syncToken: string | null;
  /** Other QBO names that are not a rename: the "(Customer)" name a conflict gave it, the name linked by hand. */
  readonly knownNames?: readonly string[];
}

export interface QboPartyState {
  readonly id: string;
  readonly syncToken: string;
  readonly displayName: string;
  readonly active: boolean;
  readonly lastUpdatedTime: string | null;
}

const sameName = (a: string, b: string): boolean => a.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase() === b.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * A remembered customer/vendor whose QBO record was renamed after Workroom last wrote or linked it (its SyncToken
 * moved and the name no longer matches), made inactive (pushes referencing it fail), or is gone.
 */
export function diffRememberedParty(party: RememberedParty, qbo: QboPartyState | undefined): DriftRow | undefined {
  const base = { subjectType: party.type, subjectId: party.id, label: party.name, partyName: null, note: null, canRepush: false, failedJobId: null } as const;
  if (qbo === undefined) {
    return { ...base, kind: 'party_missing_in_qbo', qboId: party.qboId, qboUpdatedAt: null, differences: [{ field: 'Record', workroom: party.name, qbo: 'missing' }] };
  }
  if (!qbo.active) {
    return { ...base, kind: 'party_inactive_in_qbo', qboId: qbo.id, qboUpdatedAt: qbo.lastUpdatedTime, differences: [{ field: 'Active', workroom: 'yes', qbo: 'no' }] };
  }
  const edited = party.syncToken !== null && qbo.syncToken !== party.syncToken;
  if (edited && ![party.name, ...(party.knownNames ?? [])].some((known) => sameName(known, qbo.displayName))) {
    return {
      ...base,
      kind: 'party_renamed_in_qbo',
      qboId: qbo.id,
      qboUpdatedAt: qbo.lastUpdatedTime,
      differences: [{ field: 'Name', workroom: party.name, qbo: qbo.displayName }],
    };
  }
  return undefined;
}

const KIND_ORDER = new Map(DRIFT_KINDS.map((k, i) => [k, i]));

/** Kind by kind in the order above, then by label. */
export function sortDriftRows(rows: readonly DriftRow[]): DriftRow[] {
  return [...rows].sort(
    (a, b) => (KIND_ORDER.get(a.kind) ?? 0) - (KIND_ORDER.get(b.kind) ?? 0) || a.label.localeCompare(b.label, undefined, { numeric: true }),
  );
}

const CSV_HEADER = ['Kind', 'Type', 'Number or name', 'Client or vendor', 'Field', 'Workroom value', 'QuickBooks value', 'QuickBooks id', 'QuickBooks updated at', 'Note'];

/**
 * One cell: quoted when it holds a separator, quote or line break. A cell a spreadsheet would run as a formula
 * (=, +, @, tab, or - not followed by a digit) gets a leading apostrophe; negative amounts stay numbers.
 */
export function csvCell(value: string): string {
  const safe = /^[=+@\t\r]/.test(value) || /^-(?![\d.])/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The report as CSV: one line per difference, so each line says field, Workroom value and QBO value. */
export function driftCsv(rows: readonly DriftRow[]): string {
  const lines = [CSV_HEADER];
  for (const row of rows) {
    for (const d of row.differences) {
      lines.push([
        DRIFT_KIND_LABELS[row.kind],
        SUBJECT_LABELS[row.subjectType],
        row.label,
        row.partyName ?? '',
        d.field,
        d.workroom,
        d.qbo,
        row.qboId ?? '',
        row.qboUpdatedAt ?? '',
        row.note ?? '',
      ]);
    }
  }
  return `${lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
