/**
 * Seams between the emulator's two halves: the Intuit OAuth server (src/emulator/oauth) and the
 * Accounting API v3 (src/emulator/api). Neither imports the other's internals; server.ts wires them.
 */
export type QboEnvironment = 'sandbox' | 'production';

/** A QBO company file as the Intuit company chooser lists it. */
export interface CompanyFile {
  realmId: string;
  name: string;
  environment: QboEnvironment;
  /** ISO 3166 alpha-2, decides the tax model: 'US' uses TAX/NON, anything else real TaxCode ids. */
  country: string;
  homeCurrency: string;
}

export interface CompanyDirectory {
  listCompanies(): CompanyFile[];
  getCompany(realmId: string): CompanyFile | undefined;
}

export type AccessCheck =
  | { ok: true; clientId: string }
  | { ok: false; reason: 'missing' | 'invalid' | 'expired' | 'wrong_realm' };

/** Answers whether a Bearer token may call the Accounting API for a realm. */
export interface AccessTokenVerifier {
  verify(authorizationHeader: string | undefined, realmId: string): AccessCheck;
}
