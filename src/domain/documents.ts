import { z } from 'zod';
import { decimalString } from './money.js';
import { CurrencyCode } from './organisation.js';
import type { RuleViolation } from './result.js';
import type { TaxModel } from './tax.js';
import { TaxRatePercent } from './tax.js';

const Id = z.string().trim().min(1).max(64);
const IsoDate = z.iso.date('must be a date (YYYY-MM-DD)');
const Percent = decimalString({ maxScale: 4, maxIntegerDigits: 4 });
/** The caps MONEY_PRECISION is sized for (money.ts); widening them means raising it. */
export const LINE_LIMITS = { integerDigits: 12, decimals: 4, linesPerDocument: 200 } as const;

/**
 * One document line. `rate` is the price on the document; `markupPercent` and `vendorDiscountPercent`
 * are Workroom's own cost-side notes (how the rate was derived). They never change the totals and are
 * never pushed, so QBO's Amount = UnitPrice × Qty always holds for the pushed rate.
 */
export const LineInputSchema = z
  .object({
    description: z.string().trim().max(4000).default(''),
    quantity: decimalString({ maxScale: LINE_LIMITS.decimals, maxIntegerDigits: LINE_LIMITS.integerDigits }),
    rate: decimalString({ maxScale: LINE_LIMITS.decimals, maxIntegerDigits: LINE_LIMITS.integerDigits, allowNegative: true }),
    categoryId: Id.nullable().default(null),
    /** Sales-tax orgs: whether the line is taxed. Tax-code orgs: ignored (the code decides). */
    taxable: z.boolean().default(true),
    /** Tax-code orgs (Canada): the line's tax code; null means no tax. */
    taxCodeId: Id.nullable().default(null),
    markupPercent: Percent.default('0'),
    vendorDiscountPercent: decimalString({ maxScale: 4, maxIntegerDigits: 4, max: '100' }).default('0'),
  })
  .strict();
export type LineInput = z.infer<typeof LineInputSchema>;

export const AttachmentInputSchema = z
  .object({
    name: z.string().trim().min(1).max(255),
    size: z.number().int().min(0).max(2 ** 31 - 1),
    mime: z
      .string()
      .trim()
      .regex(/^[\w.+-]+\/[\w.+-]+$/, 'must be a MIME type, e.g. "application/pdf"'),
  })
  .strict();
export type AttachmentInput = z.infer<typeof AttachmentInputSchema>;

const common = {
  /** Omit to get the next number for this type; QBO caps DocNumber at 21 characters. */
  number: z.string().trim().min(1).max(21).optional(),
  issueDate: IsoDate,
  /** Defaults to the organisation's home currency. */
  currency: CurrencyCode.optional(),
  /** Sales-tax orgs: the rate for this document; defaults to the organisation's current Sales Tax %. */
  salesTaxRate: TaxRatePercent.optional(),
  notes: z.string().max(10_000).default(''),
  lines: z.array(LineInputSchema).max(LINE_LIMITS.linesPerDocument).default([]),
  attachments: z.array(AttachmentInputSchema).max(50).default([]),
  /** On update: the revision the editor started from; a mismatch is a conflict instead of a lost edit. */
  revision: z.number().int().min(0).optional(),
};

export const DocumentInputSchema = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('estimate'),
        clientId: Id,
        expirationDate: IsoDate.nullable().default(null),
        ...common,
      })
      .strict(),
    z
      .object({
        type: z.literal('invoice'),
        clientId: Id,
        dueDate: IsoDate.nullable().default(null),
        /** A retainer (deposit) invoice; its money lands in a liability account, not income. */
        isRetainer: z.boolean().default(false),
        ...common,
      })
      .strict(),
    z
      .object({
        type: z.literal('purchase_order'),
        vendorId: Id,
        expectedDate: IsoDate.nullable().default(null),
        ...common,
      })
      .strict(),
  ])
  .superRefine((doc, ctx) => {
    const [field, date] =
      doc.type === 'invoice' ? ['dueDate', doc.dueDate] : doc.type === 'estimate' ? ['expirationDate', doc.expirationDate] : ['expectedDate', null];
    if (date !== null && date < doc.issueDate) {
      ctx.addIssue({ code: 'custom', path: [field], message: 'must not be before the issue date' });
    }
  });
export type DocumentInput = z.infer<typeof DocumentInputSchema>;
export type DocumentInputBody = z.input<typeof DocumentInputSchema>;

/** Tax fields must match the organisation's tax model; returns every offending line. */
export function checkLineTaxFields(model: TaxModel, lines: readonly Pick<LineInput, 'taxCodeId'>[]): RuleViolation[] {
  if (model === 'tax_codes') return [];
  return lines.flatMap((l, i) =>
    l.taxCodeId === null
      ? []
      : [{ field: `lines.${i}.taxCodeId`, message: 'this organisation uses a Sales Tax % and taxable lines, not tax codes' }],
  );
}

/** Type-specific optional fields, flattened for storage (null where the type has no such field). */
export function documentDates(doc: DocumentInput): { dueDate: string | null; expirationDate: string | null; expectedDate: string | null } {
  return {
    dueDate: doc.type === 'invoice' ? doc.dueDate : null,
    expirationDate: doc.type === 'estimate' ? doc.expirationDate : null,
    expectedDate: doc.type === 'purchase_order' ? doc.expectedDate : null,
  };
}
