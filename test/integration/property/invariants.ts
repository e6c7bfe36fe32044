import { Decimal } from 'decimal.js';
import type { Selectable } from 'kysely';
import { expect } from 'vitest';
import type { DocumentPushesTable } from '../../../src/db/tables/sync.js';
import type { WorkroomDocument } from '../../../src/domain/model.js';
import type { PushJob } from '../../../src/qbo/sync/job-queue.js';
import { SALES_TAX_RATE, type PushWorld } from './world.js';

/**
 * What must hold after every scenario, read from the three places a user could look: QBO itself (the emulator's
 * records), Workroom's push state, and the Sync Center service the page reads.
 *
 * - 'settled': faults cleared and every lease and backoff ran out. Failures may remain, but each must be shown.
 * - 'retried': the user then pressed Retry all failed and Push all approved: every issued document is in QBO.
 */
export type Phase = 'settled' | 'retried';

type QboRecord = Record<string, unknown>;
type PushRow = Selectable<DocumentPushesTable>;

const ENTITY = { invoice: 'Invoice', estimate: 'Estimate', purchase_order: 'PurchaseOrder' } as const;
const AMOUNT_LINES = new Set(['SalesItemLineDetail', 'ItemBasedExpenseLineDetail', 'AccountBasedExpenseLineDetail']);

export async function checkInvariants(world: PushWorld, phase: Phase): Promise<void> {
  const { db, org } = world;
  const docs = await Promise.all(world.documentIds.map((_, i) => world.document(i)));
  const jobs = await db.selectFrom('push_jobs').selectAll().where('org_id', '=', org.id).execute();
  const rows = await db.selectFrom('document_pushes').selectAll().where('org_id', '=', org.id).where('realm_id', '=', world.realmId).execute();
  const pushes = new Map(rows.map((r) => [r.document_id, r]));

  noJobStuck(jobs);
  expect(world.errors, 'the worker could not settle a job').toEqual([]);
  exactlyOnceInQbo(world, docs, pushes, phase);
  for (const doc of docs) totalsAgree(world, doc, pushes.get(doc.id));
  await failuresVisible(world, jobs, rows);
  if (phase === 'retried') {
    const failed = jobs.filter((j) => j.status === 'failed').map((j) => `${j.document_id}: ${j.qbo_code} ${j.qbo_message}`);
    expect(failed, 'failures left after Retry all failed with QBO healthy').toEqual([]);
  }
}

function noJobStuck(jobs: readonly PushJob[]): void {
  const active = jobs.filter((j) => j.status !== 'pushed' && j.status !== 'failed' && j.status !== 'dismissed');
  expect(
    active.map((j) => ({ id: j.id, status: j.status, runAfter: j.run_after, lease: j.lease_owner, leaseUntil: j.lease_expires_at, code: j.qbo_code })),
    'jobs still queued or pushing after every lease and backoff ran out',
  ).toEqual([]);
}

function exactlyOnceInQbo(world: PushWorld, docs: readonly WorkroomDocument[], pushes: ReadonlyMap<string, PushRow>, phase: Phase): void {
  const qbo = world.emulator.control.api;
  for (const type of ['invoice', 'estimate', 'purchase_order'] as const) {
    const numbers = new Set(docs.filter((d) => d.type === type).map((d) => d.number));
    const strays = qbo.listEntities(world.realmId, ENTITY[type]).filter((r) => !numbers.has(String(r['DocNumber'])));
    expect(strays.map((r) => [r['Id'], r['DocNumber']]), `QBO ${ENTITY[type]}s no Workroom document accounts for`).toEqual([]);
  }
  for (const doc of docs) {
    const copies = qbo.listEntities(world.realmId, ENTITY[doc.type]).filter((r) => r['DocNumber'] === doc.number);
    const ids = copies.map((r) => String(r['Id']));
    const push = pushes.get(doc.id);
    expect(ids.length, `${doc.number} is in QBO ${ids.length} times (ids ${ids.join(', ')})`).toBeLessThanOrEqual(1);
    if (doc.status === 'draft') expect(ids, `draft ${doc.number} reached QBO`).toEqual([]);
    if (push?.qbo_id != null) {
      expect(ids, `${doc.number}: Workroom remembers QBO id ${push.qbo_id}`).toEqual([push.qbo_id]);
    }
    if (phase === 'retried' && doc.status !== 'draft') {
      expect(
        { status: push?.status, pushedRevision: push?.pushed_revision, copies: ids.length, error: push?.error_message ?? null },
        `${doc.number} (revision ${doc.revision}) after the user's retry`,
      ).toEqual({ status: 'pushed', pushedRevision: doc.revision, copies: 1, error: null });
    }
  }
}

const cents = (value: Decimal.Value) => new Decimal(value).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
const sum = (values: readonly Decimal[]) => values.reduce((a, b) => a.plus(b), new Decimal(0));

/**
 * QBO's totals for a document, by the documented rule and computed here from the lines alone: each line
 * round(Qty × UnitPrice, 2) half-up; sales tax at the mapped code's rate on the rounded taxable line amounts;
 * no sales tax on a US purchase order (docs/emulator-api.md, "Totals" and "Tax").
 */
function qboTotalsOf(doc: WorkroomDocument): { subtotal: Decimal; tax: Decimal; total: Decimal } {
  const amounts = doc.lines.map((l) => cents(new Decimal(l.quantity).times(l.rate)));
  const subtotal = sum(amounts);
  const taxedBase = sum(amounts.filter((_, i) => doc.lines[i]?.taxable === true));
  const tax = doc.type === 'purchase_order' ? new Decimal(0) : cents(taxedBase.times(doc.salesTaxRate ?? SALES_TAX_RATE).dividedBy(100));
  return { subtotal, tax, total: subtotal.plus(tax) };
}

/** A document Workroom calls pushed at its current revision has exactly that content's totals in QBO. */
function totalsAgree(world: PushWorld, doc: WorkroomDocument, push: PushRow | undefined): void {
  if (push?.qbo_id == null || push.pushed_revision !== doc.revision) return;
  const record: QboRecord | undefined = world.emulator.control.api.getEntity(world.realmId, ENTITY[doc.type], push.qbo_id);
  if (record === undefined) throw new Error(`${doc.number}: QBO ${ENTITY[doc.type]} ${push.qbo_id} is missing`);
  const lines = Array.isArray(record['Line']) ? (record['Line'] as QboRecord[]) : [];
  const taxDetail = record['TxnTaxDetail'] as { TotalTax?: number } | undefined;
  const inQbo = {
    subtotal: sum(lines.filter((l) => AMOUNT_LINES.has(String(l['DetailType']))).map((l) => new Decimal(String(l['Amount'])))).toFixed(2),
    tax: new Decimal(String(taxDetail?.TotalTax ?? 0)).toFixed(2),
    total: new Decimal(String(record['TotalAmt'])).toFixed(2),
  };
  const expected = qboTotalsOf(doc);
  const where = `${doc.number} revision ${doc.revision} (lines ${doc.lines.map((l) => `${l.quantity}×${l.rate}${l.taxable ? ' taxed' : ''}`).join(', ')})`;
  expect(inQbo, `${where}: QBO's totals are not this revision's`).toEqual({
    subtotal: expected.subtotal.toFixed(2),
    tax: expected.tax.toFixed(2),
    total: expected.total.toFixed(2),
  });

  // Workroom rounds as QBO does, so its totals are QBO's to the cent (US purchase orders: QBO computes no tax on them).
  const workroom = doc.type === 'purchase_order' ? doc.totals.subtotal : doc.totals.total;
  expect({ subtotal: inQbo.subtotal, total: inQbo.total }, `${where}: QBO's totals against Workroom's`).toEqual({
    subtotal: doc.totals.subtotal,
    total: workroom,
  });
  if (doc.type !== 'purchase_order') {
    expect(inQbo.tax, `${where}: QBO's tax against Workroom's`).toBe(doc.totals.taxTotal);
    expect({ difference: push.total_difference, reason: push.totals_reason }, `${where}: the difference Workroom recorded`).toEqual({
      difference: '0.00',
      reason: null,
    });
  } else {
    const difference = new Decimal(inQbo.total).minus(doc.totals.total).toFixed(2);
    expect({ difference: push.total_difference, explained: push.totals_reason !== null || difference === '0.00' }, `${where}: the PO tax Workroom recorded`).toEqual({
      difference,
      explained: true,
    });
  }
}

/** Every failed push is listed by the Sync Center with its reason, and every attempt's outcome is in its history. */
async function failuresVisible(world: PushWorld, jobs: readonly PushJob[], rows: readonly PushRow[]): Promise<void> {
  const { center, org } = world;
  const failed = jobs.filter((j) => j.status === 'failed');
  const listed = await center.history(org.id, { page: 1, pageSize: 1000, status: 'failed' });
  expect(listed.items.map((i) => i.id).sort(), 'failed pushes the Sync Center lists').toEqual(failed.map((j) => j.id).sort());
  for (const item of listed.items) {
    const job = failed.find((j) => j.id === item.id);
    expect({ code: item.error?.code, shown: (item.error?.message ?? '') !== '' }, `Sync Center row of ${item.documentNumber}`).toEqual({ code: job?.qbo_code, shown: true });
    expect(item.error?.code, `${item.documentNumber} failed on a bug: ${item.error?.message}`).not.toBe('internal_error');
  }
  const health = await center.health(org.id);
  expect({ failed: health.failed, queued: health.queued }, 'Sync Center health card').toEqual({ failed: failed.length, queued: 0 });

  for (const job of jobs) {
    const detail = await center.job(org.id, job.id);
    const history = detail?.attemptHistory ?? [];
    expect(history.length, `attempt history of job ${job.id}`).toBe(job.attempts);
    for (const attempt of history) {
      expect(attempt.outcome, `attempt ${attempt.attempt} of job ${job.id}`).not.toBe('running');
      if (attempt.outcome === 'failed' || attempt.outcome === 'retry_scheduled') {
        expect((attempt.error?.message ?? '') !== '', `attempt ${attempt.attempt} of job ${job.id} failed without a reason`).toBe(true);
      }
    }
    const latest = history[0];
    if (job.status === 'failed') expect({ outcome: latest?.outcome, code: latest?.error?.code }).toEqual({ outcome: 'failed', code: job.qbo_code });
    if (job.status === 'pushed') expect({ outcome: latest?.outcome, qboId: latest?.qboId }).toEqual({ outcome: 'pushed', qboId: job.qbo_id });
  }

  // A document whose latest push failed says why, and that push is among the Sync Center's failures.
  for (const row of rows.filter((r) => r.status === 'failed')) {
    expect((row.error_message ?? '') !== '', `push state of ${row.document_id} failed without a message`).toBe(true);
    expect(failed.some((j) => j.id === row.last_job_id), `the failed push of ${row.document_id} is not in the Sync Center's failures`).toBe(true);
  }
}
