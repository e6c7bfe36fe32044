import { err, ok, type ProviderCompanyInfo, type ProviderPreferences, QboError, type Result } from '../client/index.js';

export type TaxModel = 'us' | 'global';

export interface CompanyFacts {
  readonly companyName: string;
  /** ISO 3166 alpha-2 where QBO's value could be recognised, else QBO's own text. */
  readonly country: string;
  readonly homeCurrency: string;
  readonly multiCurrency: boolean;
  /** US companies use TAX/NON per line plus one document tax code; everyone else real TaxCode ids. */
  readonly taxModel: TaxModel;
}

const COUNTRY_ALIASES: Readonly<Record<string, string>> = {
  US: 'US',
  USA: 'US',
  'UNITED STATES': 'US',
  'UNITED STATES OF AMERICA': 'US',
  CA: 'CA',
  CAN: 'CA',
  CANADA: 'CA',
  GB: 'GB',
  UK: 'GB',
  'UNITED KINGDOM': 'GB',
  AU: 'AU',
  AUS: 'AU',
  AUSTRALIA: 'AU',
};

export function normaliseCountry(value: string): string {
  const key = value.trim().toUpperCase();
  return COUNTRY_ALIASES[key] ?? key;
}

export function companyFactsFrom(info: ProviderCompanyInfo, prefs: ProviderPreferences): Result<CompanyFacts, QboError> {
  const rawCountry = info.Country ?? info.CompanyAddr?.Country ?? info.LegalAddr?.Country;
  const homeCurrency = prefs.CurrencyPrefs?.HomeCurrency?.value;
  if (rawCountry === undefined || homeCurrency === undefined) {
    return err(
      new QboError({
        code: 'qbo_unexpected_response',
        message: `QuickBooks did not say the company's ${rawCountry === undefined ? 'country' : 'home currency'}`,
      }),
    );
  }
  const country = normaliseCountry(rawCountry);
  return ok({
    companyName: info.CompanyName,
    country,
    homeCurrency: homeCurrency.toUpperCase(),
    multiCurrency: prefs.CurrencyPrefs?.MultiCurrencyEnabled ?? false,
    taxModel: country === 'US' ? 'us' : 'global',
  });
}

export interface CompanyReader {
  companyInfo(): Promise<ProviderCompanyInfo>;
  preferences(): Promise<ProviderPreferences>;
}

export async function readCompanyFacts(client: CompanyReader): Promise<Result<CompanyFacts, QboError>> {
  try {
    const [info, prefs] = await Promise.all([client.companyInfo(), client.preferences()]);
    return companyFactsFrom(info, prefs);
  } catch (error) {
    if (error instanceof QboError) return err(error);
    throw error;
  }
}
