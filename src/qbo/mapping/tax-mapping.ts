import type { DocumentLine } from '../../domain/model.js';
import type { TaxModel as WorkroomTaxModel } from '../../domain/tax.js';
import { err, ok, type ProviderTaxCode, type Result } from '../client/index.js';
import type { TaxMapping } from './account-mapping.js';
import type { QboCompany } from './company.js';
import { agreeWithLines, describeLines, type MappingProblem } from './problems.js';
import type { QboRefOut, QboTxnTaxDetailOut } from './wire-out.js';

export type TaxSide = 'sales' | 'purchase';

export interface TaxHeaderOut {
  readonly TxnTaxDetail?: QboTxnTaxDetailOut;
  readonly GlobalTaxCalculation?: 'TaxExcluded';
}

export interface ResolvedTax {
  /** One TaxCodeRef per document line, in line order. */
  readonly lineCodes: readonly QboRefOut[];
  readonly header: TaxHeaderOut;
}

export interface TaxNames {
  readonly workroomTaxCodeNames?: ReadonlyMap<string, string>;
}

type TaxLine = Pick<DocumentLine, 'taxable' | 'taxCodeId'>;

const TAX: QboRefOut = { value: 'TAX' };
const NON: QboRefOut = { value: 'NON' };
const WHERE = 'Settings → Finances → QuickBooks → Tax mapping';

function indexesWhere(lines: readonly TaxLine[], pick: (l: TaxLine) => boolean): number[] {
  return lines.flatMap((l, i) => (pick(l) ? [i] : []));
}

/**
 * Per-line tax codes and the document-level tax fields, as the company's tax model needs them:
 * - US: TAX/NON per line, and on sales forms the mapped code as TxnTaxDetail.TxnTaxCodeRef (its rate is what
 *   QBO applies to the TAX lines). QBO computes no sales tax on US purchase forms, so POs carry only the flags.
 * - everyone else (Canada…): a real TaxCode id on every line and GlobalTaxCalculation TaxExcluded, because
 *   Workroom's rates exclude tax; QBO then sums each rate of each line's code.
 */
export function resolveTax(
  lines: readonly TaxLine[],
  company: QboCompany,
  mapping: TaxMapping,
  side: TaxSide,
  names: TaxNames = {},
): Result<ResolvedTax, MappingProblem[]> {
  if (company.taxModel === 'us') return usTax(lines, mapping, side);
  return mapping.kind === 'sales_tax' ? globalSalesTax(lines, mapping) : globalTaxCodes(lines, mapping, names);
}

function usTax(lines: readonly TaxLine[], mapping: TaxMapping, side: TaxSide): Result<ResolvedTax, MappingProblem[]> {
  if (mapping.kind === 'tax_codes') {
    return err([
      {
        kind: 'tax_code_mismatch',
        workroomTaxCodeId: null,
        lineIndexes: lines.map((_, i) => i),
        message:
          'Tax code mismatch: this Workroom organisation uses named tax codes, but the QuickBooks company is a US company ' +
          '(one Sales Tax % per document); connect the matching QuickBooks company',
      },
    ]);
  }
  const lineCodes = lines.map((l) => (l.taxable ? TAX : NON));
  if (side === 'purchase') return ok({ lineCodes, header: {} });
  const taxed = indexesWhere(lines, (l) => l.taxable);
  if (mapping.salesTaxCodeId === null) {
    if (taxed.length === 0) return ok({ lineCodes, header: {} });
    return err([
      {
        kind: 'tax_code_mismatch',
        workroomTaxCodeId: null,
        lineIndexes: taxed,
        message: `Tax code mismatch: the Sales Tax % is not paired with a QuickBooks tax code (taxed ${describeLines(taxed)}); pair it in ${WHERE}`,
      },
    ]);
  }
  return ok({ lineCodes, header: { TxnTaxDetail: { TxnTaxCodeRef: { value: mapping.salesTaxCodeId } } } });
}

function globalSalesTax(lines: readonly TaxLine[], mapping: Extract<TaxMapping, { kind: 'sales_tax' }>): Result<ResolvedTax, MappingProblem[]> {
  const problems: MappingProblem[] = [];
  const taxed = indexesWhere(lines, (l) => l.taxable);
  const untaxed = indexesWhere(lines, (l) => !l.taxable);
  if (mapping.salesTaxCodeId === null && taxed.length > 0) {
    problems.push({
      kind: 'tax_code_mismatch',
      workroomTaxCodeId: null,
      lineIndexes: taxed,
      message: `Tax code mismatch: the Sales Tax % is not paired with a QuickBooks tax code (taxed ${describeLines(taxed)}); pair it in ${WHERE}`,
    });
  }
  if (mapping.exemptTaxCodeId === null && untaxed.length > 0) {
    problems.push({
      kind: 'tax_code_mismatch',
      workroomTaxCodeId: null,
      lineIndexes: untaxed,
      message:
        `Tax code mismatch: untaxed lines need a QuickBooks tax code in this company (${describeLines(untaxed)}); ` +
        `choose the code for untaxed sales (e.g. Exempt) in ${WHERE}`,
    });
  }
  if (problems.length > 0) return err(problems);
  const lineCodes: QboRefOut[] = [];
  for (const line of lines) {
    const id = line.taxable ? mapping.salesTaxCodeId : mapping.exemptTaxCodeId;
    if (id !== null) lineCodes.push({ value: id });
  }
  return ok({ lineCodes, header: { GlobalTaxCalculation: 'TaxExcluded' } });
}

function globalTaxCodes(
  lines: readonly TaxLine[],
  mapping: Extract<TaxMapping, { kind: 'tax_codes' }>,
  names: TaxNames,
): Result<ResolvedTax, MappingProblem[]> {
  const unmapped = new Map<string | null, number[]>();
  const lineCodes: QboRefOut[] = [];
  lines.forEach((line, index) => {
    const qboId = line.taxCodeId === null ? mapping.noTaxCodeId : mapping.codes[line.taxCodeId];
    if (qboId === undefined || qboId === null) {
      unmapped.set(line.taxCodeId, [...(unmapped.get(line.taxCodeId) ?? []), index]);
      return;
    }
    lineCodes.push({ value: qboId });
  });
  if (unmapped.size === 0) return ok({ lineCodes, header: { GlobalTaxCalculation: 'TaxExcluded' } });
  return err(
    [...unmapped].map(([codeId, lineIndexes]) => ({
      kind: 'tax_code_mismatch' as const,
      workroomTaxCodeId: codeId,
      lineIndexes,
      message:
        codeId === null
          ? `Tax code mismatch: ${describeLines(lineIndexes)} ${agreeWithLines(lineIndexes, 'carries', 'carry')} no Workroom tax code and no QuickBooks code is chosen for untaxed lines; choose one (e.g. Exempt) in ${WHERE}`
          : `Tax code mismatch: Workroom tax code "${names.workroomTaxCodeNames?.get(codeId) ?? codeId}" has no QuickBooks counterpart (${describeLines(lineIndexes)}); pair it in ${WHERE}`,
    })),
  );
}

export type TaxMappingProblem = {
  readonly kind: 'wrong_tax_model' | 'unknown_tax_code' | 'inactive_tax_code';
  readonly field: string;
  readonly message: string;
};

export type QboTaxCodeChoice = Pick<ProviderTaxCode, 'Id' | 'Name'> & Partial<Pick<ProviderTaxCode, 'Active'>>;

/** Checks a proposed tax mapping against Workroom's tax model and the company's QBO tax codes. */
export function validateTaxMapping(
  mapping: TaxMapping,
  context: { readonly workroomTaxModel: WorkroomTaxModel; readonly company: Pick<QboCompany, 'taxModel'>; readonly qboTaxCodes: readonly QboTaxCodeChoice[] },
  names: TaxNames = {},
): Result<TaxMapping, TaxMappingProblem[]> {
  const problems: TaxMappingProblem[] = [];
  if (mapping.kind !== context.workroomTaxModel) {
    problems.push({
      kind: 'wrong_tax_model',
      field: 'kind',
      message:
        context.workroomTaxModel === 'tax_codes'
          ? 'this organisation uses named tax codes: pair each Workroom tax code with a QuickBooks tax code'
          : 'this organisation uses one Sales Tax %: pair it with a single QuickBooks tax code',
    });
  }
  if (context.company.taxModel === 'us' && mapping.kind === 'tax_codes') {
    problems.push({
      kind: 'wrong_tax_model',
      field: 'kind',
      message: 'a US QuickBooks company takes one tax code per document, not one per Workroom tax code',
    });
  }
  const byId = new Map(context.qboTaxCodes.map((c) => [c.Id, c]));
  const check = (field: string, label: string, id: string | null | undefined) => {
    if (id === null || id === undefined) return;
    const code = byId.get(id);
    if (!code) problems.push({ kind: 'unknown_tax_code', field, message: `${label}: tax code ${id} is not in QuickBooks` });
    else if (code.Active === false) problems.push({ kind: 'inactive_tax_code', field, message: `${label}: "${code.Name}" is inactive in QuickBooks` });
  };
  if (mapping.kind === 'sales_tax') {
    check('salesTaxCodeId', 'Sales Tax %', mapping.salesTaxCodeId);
    check('exemptTaxCodeId', 'Untaxed lines', mapping.exemptTaxCodeId);
  } else {
    for (const [codeId, qboId] of Object.entries(mapping.codes)) {
      check(`codes.${codeId}`, `Workroom tax code "${names.workroomTaxCodeNames?.get(codeId) ?? codeId}"`, qboId);
    }
    check('noTaxCodeId', 'Lines without a tax code', mapping.noTaxCodeId);
  }
  return problems.length > 0 ? err(problems) : ok(mapping);
}
