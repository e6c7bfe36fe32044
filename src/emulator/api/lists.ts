import { asString, refValue, type QboRecord } from '../state/index.js';
import { faults } from './faults.js';
import { refTo, resolveRef, type WriteScope } from './refs.js';

/**
 * Validation for name lists (Customer, Vendor) and the chart of accounts / item list. DisplayName is unique
 * across Customer, Vendor and Employee, compared case-insensitively after trimming (6240); QBO derives it from the
 * name parts when absent (6080 when there are none) and rejects ':' because it separates sub-customer paths.
 */
export type NameEntity = 'Customer' | 'Vendor';

const NAME_LISTS = ['Customer', 'Vendor', 'Employee'] as const;

function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

function deriveDisplayName(input: QboRecord): string | undefined {
  const given = asString(input['DisplayName'])?.trim();
  if (given) return given;
  const parts = ['Title', 'GivenName', 'MiddleName', 'FamilyName', 'Suffix']
    .map((k) => asString(input[k])?.trim())
    .filter((p): p is string => p !== undefined && p !== '');
  if (parts.length > 0) return parts.join(' ');
  return asString(input['CompanyName'])?.trim() || undefined;
}

export function buildName(scope: WriteScope, entity: NameEntity, input: QboRecord, selfId: string | undefined): QboRecord {
  const displayName = deriveDisplayName(input);
  if (displayName === undefined) throw faults.noName();
  if (displayName.includes(':')) {
    throw faults.businessValidation(`The name "${displayName}" contains a colon (:). Names cannot contain a colon.`);
  }
  const key = nameKey(displayName);
  for (const list of NAME_LISTS) {
    for (const other of Object.values(scope.realm.entities[list])) {
      if (list === entity && other['Id'] === selfId) continue;
      if (nameKey(asString(other['DisplayName']) ?? '') === key) throw faults.duplicateName();
    }
  }
  const currency = refValue(input['CurrencyRef']) ?? scope.realm.company.homeCurrency;
  const out: QboRecord = {
    ...input,
    DisplayName: displayName,
    PrintOnCheckName: asString(input['PrintOnCheckName']) ?? displayName,
    Active: input['Active'] ?? true,
    CurrencyRef: { value: currency },
    Balance: 0,
  };
  if (entity === 'Customer') {
    out['FullyQualifiedName'] = displayName;
    out['BalanceWithJobs'] = 0;
    out['Job'] = input['Job'] ?? false;
    out['Taxable'] = input['Taxable'] ?? true;
    out['PreferredDeliveryMethod'] = input['PreferredDeliveryMethod'] ?? 'Print';
  } else {
    out['Vendor1099'] = input['Vendor1099'] ?? false;
  }
  return out;
}

const CLASSIFICATION: Record<string, string> = {
  Income: 'Revenue',
  'Other Income': 'Revenue',
  Expense: 'Expense',
  'Other Expense': 'Expense',
  'Cost of Goods Sold': 'Expense',
  Bank: 'Asset',
  'Accounts Receivable': 'Asset',
  'Other Current Asset': 'Asset',
  'Fixed Asset': 'Asset',
  'Other Asset': 'Asset',
  'Accounts Payable': 'Liability',
  'Credit Card': 'Liability',
  'Other Current Liability': 'Liability',
  'Long Term Liability': 'Liability',
  Equity: 'Equity',
};

function uniqueListName(records: QboRecord[], name: string, selfId: string | undefined): void {
  if (records.some((r) => r['Id'] !== selfId && nameKey(asString(r['Name']) ?? '') === nameKey(name))) throw faults.duplicateName();
}

export function buildAccount(scope: WriteScope, input: QboRecord, selfId: string | undefined): QboRecord {
  const name = asString(input['Name'])?.trim();
  if (!name) throw faults.requiredParam('Name');
  if (name.includes(':')) throw faults.businessValidation(`The name "${name}" contains a colon (:). Names cannot contain a colon.`);
  const type = asString(input['AccountType']);
  if (type === undefined && asString(input['AccountSubType']) === undefined) {
    throw faults.accountTypeMissing();
  }
  uniqueListName(Object.values(scope.realm.entities.Account), name, selfId);
  const accountType = type ?? 'Expense';
  if (CLASSIFICATION[accountType] === undefined) throw faults.invalidProperty(`AccountType:${accountType}`);
  const parent = input['ParentRef'] === undefined ? undefined : resolveRef(scope, 'Account', input['ParentRef'], 'ParentRef');
  return {
    ...input,
    Name: name,
    SubAccount: parent !== undefined,
    ...(parent ? { ParentRef: { value: String(parent['Id']) } } : {}),
    FullyQualifiedName: parent ? `${String(parent['FullyQualifiedName'] ?? parent['Name'])}:${name}` : name,
    Active: input['Active'] ?? true,
    Classification: CLASSIFICATION[accountType],
    AccountType: accountType,
    CurrentBalance: 0,
    CurrentBalanceWithSubAccounts: 0,
    CurrencyRef: { value: refValue(input['CurrencyRef']) ?? scope.realm.company.homeCurrency },
  };
}

const ITEM_TYPES = new Set(['Service', 'NonInventory', 'Inventory', 'Group', 'Category']);

export function buildItem(scope: WriteScope, input: QboRecord, selfId: string | undefined): QboRecord {
  const name = asString(input['Name'])?.trim();
  if (!name) throw faults.requiredParam('Name');
  if (name.includes(':')) throw faults.businessValidation(`The name "${name}" contains a colon (:). Names cannot contain a colon.`);
  const type = asString(input['Type']) ?? 'Service';
  if (!ITEM_TYPES.has(type)) throw faults.invalidProperty(`Type:${type}`);
  uniqueListName(Object.values(scope.realm.entities.Item), name, selfId);
  if (input['IncomeAccountRef'] === undefined && input['ExpenseAccountRef'] === undefined) {
    throw faults.requiredParam('IncomeAccountRef');
  }
  const out: QboRecord = { ...input, Name: name, FullyQualifiedName: name, Type: type, Active: input['Active'] ?? true };
  if (input['IncomeAccountRef'] !== undefined) {
    out['IncomeAccountRef'] = refTo(resolveRef(scope, 'Account', input['IncomeAccountRef'], 'IncomeAccountRef'), 'Name');
  }
  if (input['ExpenseAccountRef'] !== undefined) {
    out['ExpenseAccountRef'] = refTo(resolveRef(scope, 'Account', input['ExpenseAccountRef'], 'ExpenseAccountRef'), 'Name');
  }
  return out;
}
