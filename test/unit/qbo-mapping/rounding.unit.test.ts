import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeDocumentTotals } from '../../../src/domain/totals.js';
import { buildInvoice, buildPurchaseOrder } from '../../../src/qbo/mapping/index.js';
import { accounts, expectOk, final, makeDocument, makeLine, salesTaxMapping, usSales } from './fixtures.js';

/**
 * QBO's rule, re-implemented with integers so the check does not share code with the builder:
 * Amount = round(Qty × UnitPrice, 2), half away from zero. Inputs are decimal strings with ≤ 4 decimals.
 */
function scaled(value: string, scale: number): bigint {
  const negative = value.startsWith('-');
  const [whole = '0', frac = ''] = value.replace('-', '').split('.');
  const n = BigInt(whole + frac.padEnd(scale, '0'));
  return negative ? -n : n;
}
function qboRuleCents(qty: string, price: string): bigint {
  const product = scaled(qty, 4) * scaled(price, 4); // scale 8
  const abs = product < 0n ? -product : product;
  const cents = (abs + 500_000n) / 1_000_000n;
  return product < 0n ? -cents : cents;
}
function toCents(n: number): bigint {
  return scaled(n.toFixed(2), 2);
}

const decimalText = (maxInt: number, allowNegative: boolean) =>
  fc
    .tuple(fc.boolean(), fc.integer({ min: 0, max: maxInt }), fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 4 }))
    .map(([negative, whole, frac, digits]) => {
      const sign = allowNegative && negative && (whole > 0 || frac > 0) ? '-' : '';
      return digits === 0 ? `${sign}${whole}` : `${sign}${whole}.${String(frac).padStart(4, '0').slice(0, digits)}`;
    });

describe('line amounts as QBO validates them', () => {
  it('Amount = round(Qty × UnitPrice, 2) half-up for every pushed line (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ quantity: decimalText(999, false), rate: decimalText(99_999, true) }), { minLength: 1, maxLength: 12 }),
        (specs) => {
          const doc = makeDocument({ lines: specs.map((s, i) => makeLine({ id: `l${i}`, ...s })) });
          const payload = expectOk(buildInvoice(final(doc, 'invoice'), usSales()));
          const wire = JSON.parse(JSON.stringify(payload)) as typeof payload;
          wire.Line.forEach((line, i) => {
            const spec = specs[i];
            if (!spec) throw new Error('line count changed');
            expect(String(line.SalesItemLineDetail.Qty)).toBe(String(Number(spec.quantity)));
            expect(String(line.SalesItemLineDetail.UnitPrice)).toBe(String(Number(spec.rate)));
            expect(toCents(line.Amount)).toBe(qboRuleCents(spec.quantity, spec.rate));
            expect(String(line.Amount)).toMatch(/^-?\d+(\.\d{1,2})?$/);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('pushes per-line rounded amounts that add up to the subtotal Workroom shows (no "off by a few cents")', () => {
    // Each line 0.5 × 0.01 = 0.005 → 0.01 in QBO, and in Workroom: 0.03, not round(0.015) = 0.02.
    const lines = [0, 1, 2].map((i) => makeLine({ id: `l${i}`, quantity: '0.5', rate: '0.01', taxable: false }));
    const payload = expectOk(buildInvoice(final(makeDocument({ lines }), 'invoice'), usSales()));
    expect(payload.Line.map((l) => l.Amount)).toEqual([0.01, 0.01, 0.01]);
    const totals = computeDocumentTotals(lines, { model: 'sales_tax', rate: '0', rounding: 'taxable_total' });
    expect(totals.lineAmounts).toEqual(['0.01', '0.01', '0.01']);
    expect(totals.subtotal).toBe('0.03');
  });

  it('rounds .5 of a cent away from zero, for charges and credits alike', () => {
    const lines = [
      makeLine({ id: 'a', quantity: '1', rate: '10.005' }),
      makeLine({ id: 'b', quantity: '1', rate: '10.005' }),
      makeLine({ id: 'c', quantity: '1', rate: '-10.005' }),
      makeLine({ id: 'd', quantity: '3', rate: '0.3333' }),
      makeLine({ id: 'e', quantity: '7', rate: '1.4285' }),
    ];
    const payload = expectOk(buildInvoice(final(makeDocument({ lines }), 'invoice'), usSales()));
    // 10.005 → 10.01; −10.005 → −10.01; 0.9999 → 1.00; 9.9995 → 10.00
    expect(payload.Line.map((l) => l.Amount)).toEqual([10.01, 10.01, -10.01, 1, 10]);
  });

  it('pushes exactly the line amounts and subtotal Workroom displays, across many lines', () => {
    const lines = Array.from({ length: 40 }, (_, i) =>
      makeLine({ id: `l${i}`, quantity: `${(i % 7) + 0.25}`, rate: `${(i * 13.3337).toFixed(4)}`, taxable: i % 2 === 0 }),
    );
    const payload = expectOk(buildInvoice(final(makeDocument({ lines }), 'invoice'), usSales({ tax: salesTaxMapping() })));
    const pushedCents = payload.Line.reduce((sum, l) => sum + toCents(l.Amount), 0n);
    const totals = computeDocumentTotals(lines, { model: 'sales_tax', rate: '8.25', rounding: 'taxable_total' });
    expect(pushedCents).toBe(scaled(totals.subtotal, 2));
    expect(payload.Line.map((l) => l.Amount.toFixed(2))).toEqual(totals.lineAmounts);
  });

  it('rounds purchase-order lines the same way', () => {
    const doc = makeDocument({
      type: 'purchase_order',
      status: 'approved',
      clientId: null,
      vendorId: 'v1',
      lines: [makeLine({ quantity: '0.5', rate: '0.01' }), makeLine({ quantity: '2', rate: '19.995' })],
    });
    const payload = expectOk(
      buildPurchaseOrder(final(doc, 'purchase_order'), {
        company: { taxModel: 'us', homeCurrency: 'USD' },
        accounts: accounts(),
        tax: salesTaxMapping(),
        vendorRef: { value: '9' },
      }),
    );
    expect(payload.Line.map((l) => l.Amount)).toEqual([0.01, 39.99]);
  });
});
