import { describe, expect, it } from 'vitest';
import { ProviderCompanyInfoSchema, ProviderPreferencesSchema, QboError } from '../../../src/qbo/client/index.js';
import { companyFactsFrom, readCompanyFacts } from '../../../src/qbo/connection/index.js';

const info = (extra: Record<string, unknown>) => ProviderCompanyInfoSchema.parse({ Id: '1', SyncToken: '0', CompanyName: 'Studio', ...extra });
const prefs = (currency: string | undefined, multi?: boolean) =>
  ProviderPreferencesSchema.parse({
    Id: '1',
    SyncToken: '0',
    CurrencyPrefs: { ...(currency ? { HomeCurrency: { value: currency } } : {}), ...(multi === undefined ? {} : { MultiCurrencyEnabled: multi }) },
  });

describe('company facts', () => {
  it('US company: TAX/NON tax model', () => {
    expect(companyFactsFrom(info({ Country: 'US' }), prefs('USD', false))).toEqual({
      ok: true,
      value: { companyName: 'Studio', country: 'US', homeCurrency: 'USD', multiCurrency: false, taxModel: 'us' },
    });
  });

  it('Canadian company from its address, multicurrency on: global tax codes', () => {
    expect(companyFactsFrom(info({ CompanyAddr: { Country: 'Canada' } }), prefs('cad', true))).toEqual({
      ok: true,
      value: { companyName: 'Studio', country: 'CA', homeCurrency: 'CAD', multiCurrency: true, taxModel: 'global' },
    });
  });

  it('missing home currency is an error, not a guess', () => {
    expect(companyFactsFrom(info({ Country: 'US' }), prefs(undefined))).toMatchObject({
      ok: false,
      error: { code: 'qbo_unexpected_response' },
    });
  });

  it('a failing call comes back as a typed Err', async () => {
    const down = new QboError({ code: 'qbo_needs_reconnect', message: 'reconnect' });
    const reader = { companyInfo: () => Promise.reject(down), preferences: () => Promise.resolve(prefs('USD')) };
    expect(await readCompanyFacts(reader)).toEqual({ ok: false, error: down });
  });
});
