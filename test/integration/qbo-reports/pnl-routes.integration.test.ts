import { Decimal } from 'decimal.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmulator, type StartedEmulator } from '../../../src/emulator/index.js';
import { fetchTransport, type QboTransport } from '../../../src/qbo/client/index.js';
import type { PnlConnectionProblem, PnlNode, PnlQboError, PnlResponse, PnlSection } from '../../../src/server/routes/qbo-reports/contract.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { SANDBOX_US } from '../qbo-connection/harness.js';
import { createInvoice, createItem, expectedPnl } from './expected-pnl.js';
import { startPnlHarness, type PnlHarness } from './harness.js';

/** Passes everything through, except report calls while a canned QBO answer is set. */
function reportFaultTransport(): { transport: QboTransport; failReportsWith(answer: { status: number; body: unknown } | undefined): void } {
  const inner = fetchTransport();
  let answer: { status: number; body: unknown } | undefined;
  return {
    transport: {
      send: (req) =>
        answer && req.url.includes('/reports/ProfitAndLoss')
          ? Promise.resolve(new Response(JSON.stringify(answer.body), { status: answer.status, headers: { 'content-type': 'application/json', intuit_tid: '1-test-tid' } }))
          : inner.send(req),
    },
    failReportsWith: (next) => (answer = next),
  };
}

const section = (nodes: readonly PnlNode[], label: string): PnlSection => {
  const found = nodes.find((n): n is PnlSection => n.kind === 'section' && n.label === label);
  if (!found) throw new Error(`no section ${label} in ${nodes.map((n) => n.label).join(', ')}`);
  return found;
};
const amountOf = (nodes: readonly PnlNode[], label: string): string | null | undefined => {
  const node = nodes.find((n) => n.label === label);
  return node?.kind === 'line' ? node.amounts[0] : undefined;
};
const total = (response: PnlResponse, key: keyof PnlResponse['report']['totals']): string | null | undefined => {
  const amounts = response.report.totals[key];
  return amounts?.[amounts.length - 1];
};

describeEachDatabase('Reports → QuickBooks P&L route', (getDb, dialect) => {
  let emulator: StartedEmulator;
  let harness: PnlHarness;
  const faults = reportFaultTransport();

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, host: '127.0.0.1', withHistory: true });
    harness = await startPnlHarness({ db: getDb().db, dialect, emulator, transport: faults.transport });
  });
  afterAll(async () => {
    await harness?.app.close();
    await emulator?.close();
  });

  it('says QuickBooks is not connected, never an empty report, before any connection', async () => {
    const res = await harness.pnl({});
    expect(res.statusCode).toBe(409);
    const body = res.json<PnlConnectionProblem & { report?: unknown }>();
    expect(body).toMatchObject({ error: 'not_connected', connection: { status: 'not_connected' } });
    expect(body.report).toBeUndefined();
  });

  it('refuses a custom range without dates or ending before it starts, and unknown parameters', async () => {
    await harness.connectTo(SANDBOX_US);
    expect((await harness.pnl({ range: 'custom' })).json()).toMatchObject({ error: 'invalid_query' });
    expect((await harness.pnl({ range: 'custom', start: '2024-03-02', end: '2024-03-01' })).statusCode).toBe(400);
    expect((await harness.pnl({ range: 'custom', start: '2024-02-30', end: '2024-03-01' })).statusCode).toBe(400);
    expect((await harness.pnl({ range: 'someday' })).statusCode).toBe(400);
    expect((await harness.pnl({ colour: 'red' })).statusCode).toBe(400);
  });

  it('shows exactly what was put into QBO: each account, parent account, subtotal and total, in QBO order', async () => {
    const client = await harness.client();
    const speaking = await createItem(client, 'Speaking fees', '18'); // Interest Earned: an Other Income account
    await createInvoice(client, {
      customerId: '1',
      txnDate: '2024-03-05',
      lines: [
        { itemId: '2', qty: '3', unitPrice: '125.00' }, // Design Services, a sub-account of Services
        { itemId: '3', qty: '1', unitPrice: '49.99' }, // Furniture → Sales of Product Income
      ],
    });
    await createInvoice(client, { customerId: '2', txnDate: '2024-03-20', lines: [{ itemId: '1', qty: '2', unitPrice: '95.50' }] });
    await createInvoice(client, { customerId: '1', txnDate: '2024-04-02', lines: [{ itemId: speaking, qty: '1', unitPrice: '80.00' }] });

    const res = await harness.pnl({ range: 'custom', start: '2024-03-01', end: '2024-04-30' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<PnlResponse>();
    expect(body.report.noData).toBe(false);
    expect(body.report.columns.map((c) => c.title)).toEqual(['Total']);
    expect(body.report.rows.map((n) => (n.kind === 'section' ? n.group : n.label))).toEqual([
      'Income',
      'GrossProfit',
      'Expenses',
      'NetOperatingIncome',
      'OtherIncome',
      'NetOtherIncome',
      'NetIncome',
    ]);
    const income = section(body.report.rows, 'Income');
    const services = section(income.children, 'Services');
    expect(services).toMatchObject({ group: null, hasHeader: true, headerAmounts: ['191.00'], summary: { label: 'Total Services', amounts: ['566.00'] } });
    expect(amountOf(services.children, 'Design Services')).toBe('375.00');
    expect(amountOf(income.children, 'Sales of Product Income')).toBe('49.99');
    expect(income.summary).toEqual({ label: 'Total Income', amounts: ['615.99'] });
    expect(amountOf(section(body.report.rows, 'Other Income').children, 'Interest Earned')).toBe('80.00');
    expect(body.report.totals).toEqual({
      Income: ['615.99'],
      GrossProfit: ['615.99'],
      Expenses: ['0.00'],
      NetOperatingIncome: ['615.99'],
      OtherIncome: ['80.00'],
      NetOtherIncome: ['80.00'],
      NetIncome: ['695.99'],
    });
    expect(body).toMatchObject({
      range: { preset: 'custom', start: '2024-03-01', end: '2024-04-30' },
      method: 'accrual',
      company: { name: 'Sandbox Company_US_1', realmId: SANDBOX_US, environment: 'sandbox' },
    });
    const link = new URL(body.qboUrl);
    expect(`${link.origin}${link.pathname}`).toBe(`${emulator.baseUrl}/sandbox-app/app/reportv2`);
    expect(Object.fromEntries(link.searchParams)).toMatchObject({ token: 'PANDL', low_date: '03/01/2024', high_date: '04/30/2024', cash_basis: 'no' });
  });

  it('matches the company file over a range with paid expenses, and on cash basis counts only what was paid', async () => {
    const wide = { range: 'custom', start: '2000-01-01', end: '2099-12-31' };
    for (const [method, basis] of [['accrual', 'Accrual'], ['cash', 'Cash']] as const) {
      const body = (await harness.pnl({ ...wide, method })).json<PnlResponse>();
      const expected = expectedPnl(emulator, SANDBOX_US, wide.start, wide.end, basis);
      expect(body.report.basis).toBe(basis);
      expect(expected.groups.Expenses.isZero(), 'the seeded history has paid expenses').toBe(false);
      expect(total(body, 'Expenses')).toBe(expected.groups.Expenses.toFixed(2));
      expect(total(body, 'NetOperatingIncome')).toBe(expected.netOperatingIncome.toFixed(2));
      expect(total(body, 'NetIncome')).toBe(expected.netIncome.toFixed(2));
      if (basis === 'Accrual') {
        expect(total(body, 'Income')).toBe(expected.groups.Income.toFixed(2));
        const expenses = section(body.report.rows, 'Expenses');
        expect(amountOf(expenses.children, 'Rent & Lease')).toBe(expected.byAccount.get('9')?.toFixed(2));
        expect(amountOf(expenses.children, 'Advertising')).toBe(expected.byAccount.get('7')?.toFixed(2));
      } else {
        // Nothing in the emulator is ever paid, so cash basis has no income and a loss.
        expect(expected.groups.Income.isZero()).toBe(true);
        expect(new Decimal(total(body, 'NetIncome') ?? '0').isNegative()).toBe(true);
      }
    }
  });

  it('resolves the presets from the user’s day and keeps monthly columns as columns', async () => {
    const thisMonth = (await harness.pnl({ range: 'this_month', today: '2024-03-15' })).json<PnlResponse>();
    expect(thisMonth.range).toEqual({ preset: 'this_month', start: '2024-03-01', end: '2024-03-31' });
    expect(total(thisMonth, 'NetIncome')).toBe('615.99');
    const lastYear = (await harness.pnl({ range: 'last_year', today: '2025-06-10' })).json<PnlResponse>();
    expect(lastYear.range).toEqual({ preset: 'last_year', start: '2024-01-01', end: '2024-12-31' });
    expect(total(lastYear, 'NetIncome')).toBe('695.99');

    const monthly = (await harness.pnl({ range: 'custom', start: '2024-02-01', end: '2024-04-30', columns: 'month' })).json<PnlResponse>();
    expect(monthly.report.columns.map((c) => c.title)).toEqual(['Feb 2024', 'Mar 2024', 'Apr 2024', 'Total']);
    expect(monthly.report.totals.NetIncome).toEqual(['0.00', '615.99', '80.00', '695.99']);
    expect(monthly.report.totals.Income).toEqual(['0.00', '615.99', '0.00', '615.99']);
    expect(new URL(monthly.qboUrl).searchParams.get('column')).toBe('monthly');
  });

  it('says "no data" only when QBO returned an empty report', async () => {
    const res = await harness.pnl({ range: 'custom', start: '2001-01-01', end: '2001-12-31' });
    expect(res.statusCode).toBe(200);
    expect(res.json<PnlResponse>().report).toMatchObject({ noData: true, columns: [] });
  });

  it('asks QBO afresh on every request: nothing is cached, a new invoice shows at once', async () => {
    const count = () => emulator.control.api.counters(SANDBOX_US)[SANDBOX_US]?.byEndpoint['GET reports/ProfitAndLoss'] ?? 0;
    const query = { range: 'custom', start: '2024-05-01', end: '2024-05-31' };
    const before = count();
    expect((await harness.pnl(query)).json<PnlResponse>().report.noData).toBe(true);
    await createInvoice(await harness.client(), { customerId: '1', txnDate: '2024-05-09', lines: [{ itemId: '2', qty: '1', unitPrice: '125.00' }] });
    const after = (await harness.pnl(query)).json<PnlResponse>();
    expect(total(after, 'NetIncome')).toBe('125.00');
    expect(count() - before).toBe(2);
  });

  it('shows any other QBO error with its code and words, not an empty report', async () => {
    faults.failReportsWith({
      status: 400,
      body: {
        Fault: {
          Error: [{ Message: 'Invalid Date', Detail: 'The start date is not a valid reporting date.', code: '2030', element: 'start_date' }],
          type: 'ValidationFault',
        },
        time: '2026-01-01T00:00:00.000-08:00',
      },
    });
    try {
      const res = await harness.pnl({ range: 'this_month' });
      expect(res.statusCode).toBe(502);
      expect(res.json<PnlQboError>()).toMatchObject({
        error: 'qbo_error',
        qboCode: '2030',
        message: 'Invalid Date',
        detail: 'The start date is not a valid reporting date.',
        status: 400,
      });
    } finally {
      faults.failReportsWith(undefined);
    }
  });

  // The help page's bug: "The QBO P&L page says 'No data'" when the OAuth token expired silently.
  it('says QuickBooks needs reconnecting when the token died silently, and works again after reconnecting', async () => {
    emulator.tokens.revokeRealm(SANDBOX_US);
    emulator.clock.advance(3600_000 + 1000);
    try {
      const res = await harness.pnl({ range: 'custom', start: '2024-03-01', end: '2024-04-30' });
      expect(res.statusCode).toBe(409);
      const body = res.json<PnlConnectionProblem & { report?: unknown }>();
      expect(body.error).toBe('needs_reconnect');
      expect(body.connection.status).toBe('needs_reconnect');
      expect(body.message).toMatch(/Reconnect to continue/);
      expect(body.report).toBeUndefined();
      // Asked again, still the same answer: the state is remembered, not turned into "no data".
      expect((await harness.pnl({})).json<PnlConnectionProblem>().error).toBe('needs_reconnect');

      await harness.connectTo(SANDBOX_US);
      const again = (await harness.pnl({ range: 'custom', start: '2024-03-01', end: '2024-04-30' })).json<PnlResponse>();
      expect(total(again, 'NetIncome')).toBe('695.99');
    } finally {
      emulator.clock.reset();
    }
  });

  /** The report is refused with "needs reconnecting" (never an empty report), then works after reconnecting. */
  async function expectReconnectThenRecovery(message: RegExp): Promise<void> {
    const res = await harness.pnl({ range: 'custom', start: '2024-03-01', end: '2024-04-30' });
    expect(res.statusCode).toBe(409);
    const body = res.json<PnlConnectionProblem & { report?: unknown }>();
    expect(body).toMatchObject({ error: 'needs_reconnect', connection: { status: 'needs_reconnect' } });
    expect(body.message).toMatch(message);
    expect(body.report).toBeUndefined();
    await harness.connectTo(SANDBOX_US);
    expect(total((await harness.pnl({ range: 'custom', start: '2024-03-01', end: '2024-04-30' })).json<PnlResponse>(), 'NetIncome')).toBe('695.99');
  }

  it('says reconnect when Intuit revoked the grant while the access token still looked fresh to us', async () => {
    emulator.tokens.revokeRealm(SANDBOX_US);
    await expectReconnectThenRecovery(/revoked/);
  });

  it('says reconnect when a long-idle connection fell outside the refresh window (the help page’s case)', async () => {
    emulator.clock.advance(102 * 24 * 3600_000);
    try {
      await expectReconnectThenRecovery(/long idle period/);
    } finally {
      emulator.clock.reset();
    }
  });

  it('says reconnect when the saved tokens can no longer be opened', async () => {
    await getDb()
      .db.updateTable('qbo_connections')
      .set({ access_token_enc: 'wr1.000000000000.AAAA.AAAA.AAAA' })
      .where('org_id', '=', harness.session.orgId)
      .execute();
    await expectReconnectThenRecovery(/secret key/);
  });
});
