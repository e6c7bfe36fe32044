import { z } from 'zod';
import { decimalString, money } from './money.js';

/**
 * Canadian orgs name their taxes (BC GST+PST, ON HST…) and each line picks one; everyone else has a
 * single Sales Tax % on the organisation and each line is simply taxable or not (QBO US: TAX/NON).
 */
export type TaxModel = 'sales_tax' | 'tax_codes';

export function taxModelForCountry(country: string): TaxModel {
  return country.toUpperCase() === 'CA' ? 'tax_codes' : 'sales_tax';
}

export const TaxRatePercent = decimalString({ maxScale: 4, maxIntegerDigits: 3, max: '100' });

export const TaxComponentSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(50),
    rate: TaxRatePercent,
  })
  .strict();
export type TaxComponent = z.infer<typeof TaxComponentSchema>;

export const TaxCodeInputSchema = z
  .object({
    name: z.string().trim().min(1, 'is required').max(100),
    components: z.array(TaxComponentSchema).max(5).default([]),
  })
  .strict()
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.components.forEach((c, i) => {
      const key = c.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['components', i, 'name'], message: 'duplicate component name' });
      seen.add(key);
    });
  });
export type TaxCodeInput = z.infer<typeof TaxCodeInputSchema>;

export interface TaxCode {
  id: string;
  name: string;
  components: TaxComponent[];
}

/** A code with no non-zero component is exempt: its lines go to QBO as NON. */
export function isTaxableCode(code: Pick<TaxCode, 'components'>): boolean {
  return code.components.some((c) => !money(c.rate).isZero());
}

/** The codes a new Canadian studio starts with. */
export const CANADIAN_TAX_CODE_PRESETS: readonly TaxCodeInput[] = [
  { name: 'BC GST+PST', components: [{ name: 'GST', rate: '5' }, { name: 'PST', rate: '7' }] },
  { name: 'ON HST', components: [{ name: 'HST', rate: '13' }] },
  { name: 'GST only', components: [{ name: 'GST', rate: '5' }] },
  { name: 'Exempt', components: [] },
];
