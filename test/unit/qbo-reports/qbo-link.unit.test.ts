import { describe, expect, it } from 'vitest';
import { emulatorPlatform, INTUIT_PLATFORM } from '../../../src/qbo/client/index.js';
import { qboProfitAndLossUrl } from '../../../src/qbo/reports/index.js';

const options = { range: { start: '2026-03-01', end: '2026-03-31' }, method: 'accrual', columns: 'total' } as const;

describe('qboProfitAndLossUrl', () => {
  it('opens the report on the QBO app host of the connection’s own environment', () => {
    expect(qboProfitAndLossUrl(INTUIT_PLATFORM.environments.production, options)).toMatch(/^https:\/\/app\.qbo\.intuit\.com\/app\/reportv2\?/);
    expect(qboProfitAndLossUrl(INTUIT_PLATFORM.environments.sandbox, options)).toMatch(/^https:\/\/app\.sandbox\.qbo\.intuit\.com\/app\/reportv2\?/);
    expect(qboProfitAndLossUrl(emulatorPlatform('http://127.0.0.1:4010').environments.sandbox, options)).toMatch(
      /^http:\/\/127\.0\.0\.1:4010\/sandbox-app\/app\/reportv2\?/,
    );
  });

  it('carries the same dates, basis and columns', () => {
    const url = new URL(qboProfitAndLossUrl(INTUIT_PLATFORM.environments.production, { ...options, method: 'cash', columns: 'month' }));
    expect(Object.fromEntries(url.searchParams)).toEqual({
      token: 'PANDL',
      date_macro: 'custom',
      low_date: '03/01/2026',
      high_date: '03/31/2026',
      column: 'monthly',
      cash_basis: 'yes',
    });
  });
});
