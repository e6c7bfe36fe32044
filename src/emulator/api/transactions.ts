import type { Decimal } from 'decimal.js';
import { asString, isRecord, qboDate, refValue, type QboRecord, type RealmState } from '../state/index.js';
import { faults } from './faults.js';
import { round2, sum, toDecimal, toWire, ZERO } from './money.js';
import { findVisible, refTo, resolveRef, type WriteScope } from './refs.js';

/**
 * Validation and totals for Invoice, Estimate and PurchaseOrder, following QBO:
 * - sales lines need an item that has an income account; Amount must equal round(Qty × UnitPrice, 2) (6070);
 * - US companies tag lines TAX/NON and pick the rate with TxnTaxDetail.TxnTaxCodeRef, each rate of that code rounded
 *   once on the taxable total; other countries put a real TaxCode id on every line and QBO rounds each rate's tax
 *   per line, then adds the lines up;
 * - TotalAmt, TxnTaxDetail.TotalTax and a SubTotalLine are computed by the server, never trusted from input.
 */
export type TxnEntity = 'Invoice' | 'Estimate' | 'PurchaseOrder';
type TaxSide = 'sales' | 'purchase';

interface NormalizedLine {
  record: QboRecord;
  amount: Decimal;
  taxCodeId: string | undefined;
}

const US_PSEUDO_CODES = new Set(['TAX', 'NON']);
const DOC_NUMBER_MAX_LENGTH = 21;

function preferences(realm: RealmState): QboRecord {
  return realm.entities.Preferences['1'] ?? {};
}

function pref(realm: RealmState, group: string, key: string): unknown {
  const g = preferences(realm)[group];
  return isRecord(g) ? g[key] : undefined;
}

function checkQtyTimesPrice(detail: QboRecord, amount: Decimal): void {
  const qty = toDecimal(detail['Qty']);
  const price = toDecimal(detail['UnitPrice']);
  if (qty !== undefined && price !== undefined && !round2(qty.times(price)).equals(amount)) {
    throw faults.amountMismatch(String(amount.toNumber()));
  }
  if (qty !== undefined && price === undefined && !qty.isZero()) detail['UnitPrice'] = toWire(amount.dividedBy(qty).toDecimalPlaces(7));
}

function lineAmount(line: QboRecord): Decimal {
  const amount = toDecimal(line['Amount']);
  if (amount === undefined) throw faults.requiredParam('Line.Amount');
  return round2(amount);
}

function lineTaxCode(scope: WriteScope, detail: QboRecord, element: string, required: boolean): string | undefined {
  const us = scope.realm.company.country === 'US';
  const code = refValue(detail['TaxCodeRef']);
  if (us) {
    if (code === undefined) return undefined;
    if (!US_PSEUDO_CODES.has(code.toUpperCase())) throw faults.invalidUsLineTaxCode(code);
    detail['TaxCodeRef'] = { value: code.toUpperCase() };
    return code.toUpperCase();
  }
  if (code === undefined) {
    if (!required) return undefined;
    const taxName = scope.realm.company.country === 'CA' ? 'GST/HST' : 'VAT';
    throw faults.businessValidation(`Make sure all your transactions have a ${taxName} rate before you save.`);
  }
  const taxCode = findVisible(scope, 'TaxCode', code);
  if (!taxCode) throw faults.invalidReference(element);
  detail['TaxCodeRef'] = { value: code };
  return code;
}

function normalizeSalesLine(scope: WriteScope, line: QboRecord, usingSalesTax: boolean): NormalizedLine | undefined {
  const type = asString(line['DetailType']);
  if (type === 'SubTotalLineDetail') return undefined;
  if (type === 'DescriptionOnly') {
    return { record: { ...line, DescriptionLineDetail: line['DescriptionLineDetail'] ?? {} }, amount: ZERO, taxCodeId: undefined };
  }
  if (type === undefined) throw faults.requiredParam('Line.DetailType');
  if (type !== 'SalesItemLineDetail') throw faults.invalidProperty(`Line.DetailType:${type}`);
  const detailIn = line['SalesItemLineDetail'];
  if (!isRecord(detailIn)) throw faults.requiredParam('Line.SalesItemLineDetail');
  const detail: QboRecord = { ...detailIn };
  const amount = lineAmount(line);
  if (detail['ItemRef'] === undefined) throw faults.requiredParam('Line.SalesItemLineDetail.ItemRef');
  const item = resolveRef(scope, 'Item', detail['ItemRef'], 'Line.SalesItemLineDetail.ItemRef');
  if (refValue(item['IncomeAccountRef']) === undefined) {
    throw faults.businessValidation(`Select an income account for the product or service "${String(item['Name'])}" before you use it on a sales form.`);
  }
  detail['ItemRef'] = refTo(item, 'Name');
  checkQtyTimesPrice(detail, amount);
  const taxCodeId = lineTaxCode(scope, detail, 'Line.SalesItemLineDetail.TaxCodeRef', usingSalesTax);
  if (taxCodeId === undefined && scope.realm.company.country === 'US') detail['TaxCodeRef'] = { value: 'NON' };
  return { record: { ...line, Amount: toWire(amount), SalesItemLineDetail: detail }, amount, taxCodeId: taxCodeId ?? undefined };
}

function normalizePurchaseLine(scope: WriteScope, line: QboRecord): NormalizedLine {
  const type = asString(line['DetailType']);
  if (type === undefined) throw faults.requiredParam('Line.DetailType');
  const amount = lineAmount(line);
  if (type === 'ItemBasedExpenseLineDetail') {
    const detailIn = line['ItemBasedExpenseLineDetail'];
    if (!isRecord(detailIn)) throw faults.requiredParam('Line.ItemBasedExpenseLineDetail');
    const detail: QboRecord = { ...detailIn };
    const item = resolveRef(scope, 'Item', detail['ItemRef'], 'Line.ItemBasedExpenseLineDetail.ItemRef');
    detail['ItemRef'] = refTo(item, 'Name');
    checkQtyTimesPrice(detail, amount);
    const taxCodeId = lineTaxCode(scope, detail, 'Line.ItemBasedExpenseLineDetail.TaxCodeRef', false);
    return { record: { ...line, Amount: toWire(amount), ItemBasedExpenseLineDetail: detail }, amount, taxCodeId };
  }
  if (type === 'AccountBasedExpenseLineDetail') {
    const detailIn = line['AccountBasedExpenseLineDetail'];
    if (!isRecord(detailIn)) throw faults.requiredParam('Line.AccountBasedExpenseLineDetail');
    const detail: QboRecord = { ...detailIn };
    const account = resolveRef(scope, 'Account', detail['AccountRef'], 'Line.AccountBasedExpenseLineDetail.AccountRef');
    detail['AccountRef'] = refTo(account, 'Name');
    const taxCodeId = lineTaxCode(scope, detail, 'Line.AccountBasedExpenseLineDetail.TaxCodeRef', false);
    return { record: { ...line, Amount: toWire(amount), AccountBasedExpenseLineDetail: detail }, amount, taxCodeId };
  }
  throw faults.invalidProperty(`Line.DetailType:${type}`);
}

interface TaxResult {
  totalTax: Decimal;
  detail: QboRecord;
  inclusive: boolean;
}

function rateList(taxCode: QboRecord, side: TaxSide): string[] {
  const list = taxCode[side === 'sales' ? 'SalesTaxRateList' : 'PurchaseTaxRateList'];
  const details = isRecord(list) && Array.isArray(list['TaxRateDetail']) ? (list['TaxRateDetail'] as unknown[]) : [];
  return details.flatMap((d) => {
    const id = isRecord(d) ? refValue(d['TaxRateRef']) : undefined;
    return id === undefined ? [] : [id];
  });
}

function rateValue(realm: RealmState, rateId: string): Decimal {
  return toDecimal(realm.entities.TaxRate[rateId]?.['RateValue']) ?? ZERO;
}

function taxLine(rateId: string, percent: Decimal, net: Decimal, amount: Decimal): QboRecord {
  return {
    Amount: toWire(amount),
    DetailType: 'TaxLineDetail',
    TaxLineDetail: {
      TaxRateRef: { value: rateId },
      PercentBased: true,
      TaxPercent: toWire(percent),
      NetAmountTaxable: toWire(net),
    },
  };
}

function usTax(scope: WriteScope, input: QboRecord, lines: NormalizedLine[], side: TaxSide): TaxResult {
  const txnTax = isRecord(input['TxnTaxDetail']) ? input['TxnTaxDetail'] : {};
  const codeId = refValue(txnTax['TxnTaxCodeRef']);
  if (side === 'purchase' || codeId === undefined) {
    const override = side === 'sales' ? toDecimal(txnTax['TotalTax']) : undefined;
    const totalTax = round2(override ?? ZERO);
    return { totalTax, detail: { TotalTax: toWire(totalTax) }, inclusive: false };
  }
  const code = findVisible(scope, 'TaxCode', codeId);
  if (!code) throw faults.invalidReference('TxnTaxDetail.TxnTaxCodeRef');
  const base = sum(lines.filter((l) => l.taxCodeId === 'TAX').map((l) => l.amount));
  const taxLines = rateList(code, 'sales').map((rateId) => {
    const percent = rateValue(scope.realm, rateId);
    return { rateId, percent, amount: round2(base.times(percent).dividedBy(100)) };
  });
  const totalTax = sum(taxLines.map((t) => t.amount));
  return {
    totalTax,
    detail: {
      TxnTaxCodeRef: { value: codeId },
      TotalTax: toWire(totalTax),
      TaxLine: taxLines.map((t) => taxLine(t.rateId, t.percent, base, t.amount)),
    },
    inclusive: false,
  };
}

function globalTax(scope: WriteScope, input: QboRecord, lines: NormalizedLine[], side: TaxSide): TaxResult {
  const mode = asString(input['GlobalTaxCalculation']) ?? 'TaxExcluded';
  if (mode === 'NotApplicable') return { totalTax: ZERO, detail: { TotalTax: 0 }, inclusive: false };
  const inclusive = mode === 'TaxInclusive';
  // Outside the US, QBO taxes each line on its own and rounds that to the cent; a rate's TaxLine adds up the rounded
  // tax of every line whose code carries the rate (sources in docs/emulator-api.md, "Tax").
  const byRate = new Map<string, { net: Decimal; tax: Decimal }>();
  for (const line of lines) {
    if (line.taxCodeId === undefined) continue;
    const code = scope.realm.entities.TaxCode[line.taxCodeId];
    if (!code) continue;
    const rates = rateList(code, side);
    const combined = sum(rates.map((r) => rateValue(scope.realm, r)));
    const net = inclusive ? line.amount.dividedBy(combined.dividedBy(100).plus(1)) : line.amount;
    for (const rateId of rates) {
      const lineTax = round2(net.times(rateValue(scope.realm, rateId)).dividedBy(100));
      const before = byRate.get(rateId) ?? { net: ZERO, tax: ZERO };
      byRate.set(rateId, { net: before.net.plus(net), tax: before.tax.plus(lineTax) });
    }
  }
  const taxLines = [...byRate.entries()].map(([rateId, t]) => taxLine(rateId, rateValue(scope.realm, rateId), round2(t.net), t.tax));
  const totalTax = sum([...byRate.values()].map((t) => t.tax));
  return { totalTax, detail: { TotalTax: toWire(totalTax), TaxLine: taxLines }, inclusive };
}

function checkCurrency(realm: RealmState, input: QboRecord): { value: string; name?: string } {
  const home = realm.company.homeCurrency;
  const requested = refValue(input['CurrencyRef']) ?? home;
  if (requested.toUpperCase() !== home.toUpperCase() && pref(realm, 'CurrencyPrefs', 'MultiCurrencyEnabled') !== true) {
    throw faults.businessValidation(
      `You can only use your home currency (${home}) because multicurrency is turned off for this company. Supplied value:${requested}`,
    );
  }
  return { value: requested.toUpperCase() };
}

function assignLineIds(lines: QboRecord[]): QboRecord[] {
  let next = Math.max(0, ...lines.map((l) => Number(asString(l['Id']) ?? 0)).filter((n) => Number.isFinite(n))) + 1;
  return lines.map((line, index) => {
    const id = asString(line['Id']) ?? String(next++);
    return { ...line, Id: id, LineNum: index + 1 };
  });
}

function docNumber(scope: WriteScope, entity: TxnEntity, input: QboRecord, selfId: string | undefined): string | undefined {
  const realm = scope.realm;
  const custom = pref(realm, 'SalesFormsPrefs', 'CustomTxnNumbers') === true;
  const given = asString(input['DocNumber']);
  if (given === undefined || given === '') {
    if (custom) return undefined;
    const key = `DocNumber:${entity}`;
    const next = realm.counters[key] ?? realm.counters['DocNumber'] ?? 1001;
    realm.counters[key] = next + 1;
    return String(next);
  }
  if (given.length > DOC_NUMBER_MAX_LENGTH) throw faults.stringTooLong('DocNumber', DOC_NUMBER_MAX_LENGTH, given.length);
  if (custom && realm.settings.duplicateDocNumberCheck && !scope.allowDuplicateDocNum) {
    const clash = Object.values(realm.entities[entity]).find(
      (r) => r['Id'] !== selfId && asString(r['DocNumber'])?.toLowerCase() === given.toLowerCase(),
    );
    if (clash) throw faults.duplicateDocNumber(given, entity, String(clash['Id']));
  }
  return given;
}

function addDays(date: string, days: number): string {
  return qboDate(Date.parse(`${date}T12:00:00Z`) + days * 86_400_000);
}

/** Validates a full Invoice/Estimate/PurchaseOrder body and returns it with QBO's computed fields. */
export function buildTransaction(scope: WriteScope, entity: TxnEntity, input: QboRecord, selfId: string | undefined): QboRecord {
  const realm = scope.realm;
  const side: TaxSide = entity === 'PurchaseOrder' ? 'purchase' : 'sales';
  const partyField = side === 'sales' ? 'CustomerRef' : 'VendorRef';
  if (input[partyField] === undefined) throw faults.requiredParam(partyField);
  const party = resolveRef(scope, side === 'sales' ? 'Customer' : 'Vendor', input[partyField], partyField);
  if (!Array.isArray(input['Line'])) throw faults.requiredParam('Line');
  const usingSalesTax = pref(realm, 'TaxPrefs', 'UsingSalesTax') === true;
  const normalized = (input['Line'] as unknown[]).flatMap((raw) => {
    if (!isRecord(raw)) throw faults.invalidProperty('Line');
    const line = side === 'sales' ? normalizeSalesLine(scope, raw, usingSalesTax) : normalizePurchaseLine(scope, raw);
    return line ? [line] : [];
  });
  if (!normalized.some((l) => asString(l.record['DetailType']) !== 'DescriptionOnly')) throw faults.requiredParam('Line');
  const currency = checkCurrency(realm, input);
  const tax = realm.company.country === 'US' ? usTax(scope, input, normalized, side) : globalTax(scope, input, normalized, side);
  const subtotal = sum(normalized.map((l) => l.amount));
  const total = tax.inclusive ? subtotal : subtotal.plus(tax.totalTax);
  const txnDate = asString(input['TxnDate']) ?? qboDate(scope.nowMs);
  const lines = assignLineIds(normalized.map((l) => l.record));
  const out: QboRecord = {
    ...input,
    [partyField]: refTo(party, 'DisplayName'),
    TxnDate: txnDate,
    CurrencyRef: currency,
    Line: side === 'sales' ? [...lines, { Amount: toWire(subtotal), DetailType: 'SubTotalLineDetail', SubTotalLineDetail: {} }] : lines,
    TxnTaxDetail: tax.detail,
    TotalAmt: toWire(total),
  };
  if (realm.company.country !== 'US') out['GlobalTaxCalculation'] = asString(input['GlobalTaxCalculation']) ?? 'TaxExcluded';
  if (entity === 'Invoice') {
    out['DueDate'] = asString(input['DueDate']) ?? addDays(txnDate, 30);
    out['Balance'] = toWire(total);
    out['ARAccountRef'] = out['ARAccountRef'] ?? accountRefByType(realm, 'Accounts Receivable');
    out['EmailStatus'] = asString(input['EmailStatus']) ?? 'NotSet';
    out['PrintStatus'] = asString(input['PrintStatus']) ?? 'NeedToPrint';
  } else if (entity === 'Estimate') {
    out['TxnStatus'] = asString(input['TxnStatus']) ?? 'Pending';
    out['EmailStatus'] = asString(input['EmailStatus']) ?? 'NotSet';
  } else {
    out['APAccountRef'] =
      input['APAccountRef'] === undefined ? accountRefByType(realm, 'Accounts Payable') : apAccount(scope, input['APAccountRef']);
    out['POStatus'] = asString(input['POStatus']) ?? 'Open';
  }
  const number = docNumber(scope, entity, input, selfId);
  if (number === undefined) delete out['DocNumber'];
  else out['DocNumber'] = number;
  return out;
}

function accountRefByType(realm: RealmState, accountType: string): { value: string; name: string } | undefined {
  const account = Object.values(realm.entities.Account).find((a) => a['AccountType'] === accountType && a['Active'] !== false);
  return account ? refTo(account, 'Name') : undefined;
}

function apAccount(scope: WriteScope, ref: unknown): { value: string; name: string } {
  const account = resolveRef(scope, 'Account', ref, 'APAccountRef');
  if (account['AccountType'] !== 'Accounts Payable') throw faults.invalidReference('APAccountRef');
  return refTo(account, 'Name');
}

/** QBO's void: the transaction stays, with zero amounts and a "Voided" memo. */
export function voidInvoice(record: QboRecord): QboRecord {
  const lines = Array.isArray(record['Line']) ? (record['Line'] as unknown[]) : [];
  return {
    ...record,
    Line: lines.map((l) => (isRecord(l) ? { ...l, Amount: 0 } : l)),
    TxnTaxDetail: { TotalTax: 0 },
    TotalAmt: 0,
    Balance: 0,
    PrivateNote: 'Voided',
  };
}
