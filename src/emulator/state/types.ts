import type { CompanyFile } from '../contract.js';

/** A QBO object exactly as it travels on the wire (PascalCase JSON). */
export type QboRecord = Record<string, unknown>;

export const ENTITY_NAMES = [
  'Account',
  'TaxCode',
  'TaxRate',
  'Item',
  'Customer',
  'Vendor',
  'Employee',
  'Estimate',
  'Invoice',
  'PurchaseOrder',
  'Purchase',
  'CompanyInfo',
  'Preferences',
] as const;
export type EntityName = (typeof ENTITY_NAMES)[number];

/** Company behaviour QBO keeps in its UI settings rather than in the Preferences entity. */
export interface CompanySettings {
  /** QBO's "warn if duplicate number" setting: with custom txn numbers on, a reused DocNumber is a 6140 fault. */
  duplicateDocNumberCheck: boolean;
}

export interface RealmState {
  company: CompanyFile;
  settings: CompanySettings;
  entities: Record<EntityName, Record<string, QboRecord>>;
  /** Next id per id sequence (QBO shares one sequence across Customer/Vendor/Employee, another across transactions). */
  counters: Record<string, number>;
}

export interface StoreSnapshot {
  version: 1;
  realms: RealmState[];
}

export function isRecord(value: unknown): value is QboRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Reads a QBO reference ({ value, name }) or a bare id. */
export function refValue(value: unknown): string | undefined {
  if (isRecord(value)) return asString(value['value']);
  return asString(value);
}
