import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/index.js';
import { getDocument } from '../../src/domain/store/documents.js';
import { buildInvoice, requireFinal, type SalesContext } from '../../src/qbo/mapping/index.js';
import type { Studio } from '../lib/studio.js';
import { addFinalInvoices } from '../lib/studio.js';

export interface PayloadCost {
  readonly lines: number;
  readonly microsPerPayload: number;
  readonly iterations: number;
}

const CONTEXT: SalesContext = {
  company: { taxModel: 'us', homeCurrency: 'USD' },
  accounts: {
    defaultIncomeAccountId: '3',
    incomeByCategory: {},
    defaultExpenseAccountId: '6',
    expenseByVendor: {},
    retainerLiabilityAccountId: '14',
    salesTaxPayableAccountId: '15',
  },
  tax: { kind: 'sales_tax', salesTaxCodeId: '2', exemptTaxCodeId: null },
  customerRef: { value: '58' },
  itemByAccountId: new Map([['3', '21']]),
};

/**
 * µs for buildInvoice (the pure Workroom → QBO mapper) on a real final invoice of `lines` lines read from the
 * database: warm-up first (JIT), then the median of five timed rounds.
 */
export async function measurePayloadBuild(db: Kysely<Database>, studio: Studio, lines: number, iterations: number): Promise<PayloadCost> {
  const [id] = await addFinalInvoices(db, studio, 1, lines);
  const doc = id === undefined ? undefined : await getDocument(db, studio.org, id);
  if (!doc) throw new Error('payload sample document missing');
  const final = requireFinal(doc, 'invoice');
  if (!final.ok) throw new Error('payload sample is not final');
  const build = (): void => {
    const built = buildInvoice(final.value, CONTEXT);
    if (!built.ok) throw new Error(built.error.map((p) => p.message).join('; '));
  };
  for (let i = 0; i < Math.min(5_000, iterations); i += 1) build();
  const rounds: number[] = [];
  for (let round = 0; round < 5; round += 1) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < iterations; i += 1) build();
    rounds.push(Number(process.hrtime.bigint() - t0) / 1_000 / iterations);
  }
  rounds.sort((a, b) => a - b);
  return { lines, microsPerPayload: rounds[2] as number, iterations };
}
