import { describe, expect, it } from 'vitest';
import {
  err,
  INTUIT_PLATFORM,
  ok,
  QboError,
  type ProfitAndLossParams,
  type ProviderReport,
  type QboErrorCode,
} from '../../../src/qbo/client/index.js';
import { ProfitAndLossService, type PnlConnections, type PnlFailure, type PnlRequest } from '../../../src/qbo/reports/index.js';

type Status = Awaited<ReturnType<PnlConnections['status']>>;

const company = { name: 'Studio Books', realmId: '9130357921644326', environment: 'production' as const };
const connected: Status = { status: 'connected', message: null, company };

const report = (netIncome: string): ProviderReport => ({
  Header: { ReportName: 'ProfitAndLoss', ReportBasis: 'Accrual', StartPeriod: '2026-11-01', EndPeriod: '2026-11-30', Option: [{ Name: 'NoReportData', Value: 'false' }] },
  Columns: { Column: [{ ColTitle: '', ColType: 'Account' }, { ColTitle: 'Total', ColType: 'Money' }] },
  Rows: { Row: [{ type: 'Section', group: 'NetIncome', Summary: { ColData: [{ value: 'Net Income' }, { value: netIncome }] } }] },
});

/** A connection service and client double: the status sequence it reports, and what the report call does. */
function makeConnections(options: { statuses: Status[]; answer?: () => Promise<ProviderReport> }) {
  const calls: { report: ProfitAndLossParams[]; clients: number } = { report: [], clients: 0 };
  const statuses = [...options.statuses];
  const connections: PnlConnections = {
    status: () => Promise.resolve(statuses.length > 1 ? (statuses.shift() as Status) : (statuses[0] as Status)),
    getClientFor: () => {
      calls.clients += 1;
      return Promise.resolve(
        ok({
          environment: 'production' as const,
          report: (_name: 'ProfitAndLoss', params: ProfitAndLossParams) => {
            calls.report.push(params);
            return options.answer ? options.answer() : Promise.resolve(report('10.00'));
          },
        }),
      );
    },
  };
  return { connections, calls };
}

const request: PnlRequest = { range: 'this_month', method: 'accrual', columns: 'total', today: '2026-11-25' };

function failureOf(result: Awaited<ReturnType<ProfitAndLossService['profitAndLoss']>>): PnlFailure {
  if (result.ok) throw new Error(`expected a failure, got a report with rows ${JSON.stringify(result.value.report.rows)}`);
  return result.error;
}

describe('ProfitAndLossService', () => {
  it('asks QBO for the resolved dates, basis and columns, and links to the production app host', async () => {
    const { connections, calls } = makeConnections({ statuses: [connected] });
    const service = new ProfitAndLossService({ connections, platform: INTUIT_PLATFORM });
    const result = await service.profitAndLoss('org', { ...request, range: 'last_month', method: 'cash', columns: 'quarter' });
    expect(calls.report).toEqual([{ start_date: '2026-10-01', end_date: '2026-10-31', accounting_method: 'Cash', summarize_column_by: 'Quarter' }]);
    if (!result.ok) throw new Error(`expected a report, got ${result.error.kind}`);
    expect(result.value.range).toEqual({ preset: 'last_month', start: '2026-10-01', end: '2026-10-31' });
    expect(result.value.company).toEqual(company);
    expect(result.value.qboUrl).toMatch(/^https:\/\/app\.qbo\.intuit\.com\/app\/reportv2\?.*cash_basis=yes/);
    expect(result.value.report.totals.NetIncome?.[0]?.toFixed(2)).toBe('10.00');
  });

  it('asks QBO again on every call (nothing cached) and counts presets from the server day when none is given', async () => {
    let answers = 0;
    const { connections, calls } = makeConnections({ statuses: [connected], answer: () => Promise.resolve(report(String(++answers))) });
    const service = new ProfitAndLossService({ connections, platform: INTUIT_PLATFORM, today: () => '2025-02-10' });
    const first = await service.profitAndLoss('org', { range: 'this_month', method: 'accrual', columns: 'total' });
    const second = await service.profitAndLoss('org', { range: 'this_month', method: 'accrual', columns: 'total' });
    expect(calls.report.map((p) => [p.start_date, p.end_date])).toEqual([
      ['2025-02-01', '2025-02-28'],
      ['2025-02-01', '2025-02-28'],
    ]);
    expect([first, second].map((r) => (r.ok ? r.value.report.totals.NetIncome?.[0]?.toFixed(0) : 'failed'))).toEqual(['1', '2']);
  });

  it('says not connected without calling QBO', async () => {
    for (const status of ['not_connected', 'disconnected'] as const) {
      const { connections, calls } = makeConnections({ statuses: [{ status, message: null, company: status === 'disconnected' ? company : null }] });
      const failure = failureOf(await new ProfitAndLossService({ connections, platform: INTUIT_PLATFORM }).profitAndLoss('org', request));
      expect(failure.kind).toBe('not_connected');
      expect(calls.clients).toBe(0);
    }
  });

  it('says needs reconnecting, in the connection’s words, when the connection already knows', async () => {
    const message = 'QuickBooks no longer accepts Workroom’s saved authorization. Reconnect to continue.';
    const { connections, calls } = makeConnections({ statuses: [{ status: 'needs_reconnect', message, company }] });
    const failure = failureOf(await new ProfitAndLossService({ connections, platform: INTUIT_PLATFORM }).profitAndLoss('org', request));
    expect(failure).toMatchObject({ kind: 'needs_reconnect', message });
    expect(calls.report).toEqual([]);
  });

  // The help page's bug: a token that expired silently must never come out as an empty report.
  it.each<[QboErrorCode, string | undefined]>([
    ['qbo_needs_reconnect', undefined],
    ['qbo_auth_invalid_grant', undefined],
    ['qbo_auth_failed', '3200'],
  ])('turns a %s during the report call into "needs reconnecting", never into no data', async (code, qboCode) => {
    const message = 'Reconnect to continue.';
    const { connections } = makeConnections({
      statuses: [connected, { status: 'needs_reconnect', message, company }],
      answer: () => Promise.reject(new QboError({ code, qboCode, message: 'invalid_grant' })),
    });
    const failure = failureOf(await new ProfitAndLossService({ connections, platform: INTUIT_PLATFORM }).profitAndLoss('org', request));
    expect(failure).toMatchObject({ kind: 'needs_reconnect', message });
    expect(failure.kind === 'needs_reconnect' && failure.error?.code).toBe(code);
  });

  it('keeps the client’s own error when no client can be had', async () => {
    const connections: PnlConnections = {
      status: () => Promise.resolve(connected),
      getClientFor: () => Promise.resolve(err(new QboError({ code: 'qbo_needs_reconnect', message: 'The QuickBooks connection changed' }))),
    };
    const failure = failureOf(await new ProfitAndLossService({ connections, platform: INTUIT_PLATFORM }).profitAndLoss('org', request));
    expect(failure).toMatchObject({ kind: 'needs_reconnect', message: 'The QuickBooks connection changed' });
  });

  it('passes any other QBO error through untouched, with its code and words', async () => {
    const fault = new QboError({ code: 'qbo_validation', qboCode: '2030', message: 'Invalid Date', detail: 'start_date', status: 400 });
    const { connections } = makeConnections({ statuses: [connected], answer: () => Promise.reject(fault) });
    const failure = failureOf(await new ProfitAndLossService({ connections, platform: INTUIT_PLATFORM }).profitAndLoss('org', request));
    expect(failure).toEqual({ kind: 'qbo_error', error: fault });
  });

  it('reports an unreadable report as an unexpected answer, not as an empty one', async () => {
    const { connections } = makeConnections({ statuses: [connected], answer: () => Promise.resolve(report('twelve')) });
    const failure = failureOf(await new ProfitAndLossService({ connections, platform: INTUIT_PLATFORM }).profitAndLoss('org', request));
    expect(failure.kind === 'qbo_error' && failure.error.code).toBe('qbo_unexpected_response');
  });

  it('lets a bug that is not a QBO failure surface', async () => {
    const { connections } = makeConnections({ statuses: [connected], answer: () => Promise.reject(new TypeError('bug')) });
    await expect(new ProfitAndLossService({ connections, platform: INTUIT_PLATFORM }).profitAndLoss('org', request)).rejects.toThrow('bug');
  });
});
