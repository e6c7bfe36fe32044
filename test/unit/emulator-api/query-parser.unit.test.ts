import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../../src/emulator/api/query-parser.js';
import { executeQuery } from '../../../src/emulator/api/query-exec.js';

function parsed(text: string) {
  const result = parseQuery(text);
  if (!result.ok) throw new Error(result.error);
  return result.query;
}

describe('parseQuery', () => {
  it('reads select *, where with AND, orderby, paging, case-insensitively', () => {
    const q = parsed("select * from Customer where DisplayName = 'A' AND Balance >= 10 orderby DisplayName desc startposition 11 maxresults 5");
    expect(q.entity).toBe('Customer');
    expect(q.select).toEqual({ kind: 'all' });
    expect(q.where).toEqual([
      { field: 'DisplayName', op: '=', value: 'A' },
      { field: 'Balance', op: '>=', value: 10 },
    ]);
    expect(q.orderBy).toEqual([{ field: 'DisplayName', direction: 'DESC' }]);
    expect(q.startPosition).toBe(11);
    expect(q.maxResults).toBe(5);
  });

  it("unescapes backslash-escaped quotes ('O\\'Brien')", () => {
    expect(parsed("SELECT * FROM Vendor WHERE DisplayName = 'O\\'Brien \\\\ Sons'").where[0]).toEqual({
      field: 'DisplayName',
      op: '=',
      value: "O'Brien \\ Sons",
    });
  });

  it('reads count(*), IN lists, LIKE, nested fields and ORDER BY', () => {
    const q = parsed("select count(*) from Invoice where Id in ('1', '2') and MetaData.LastUpdatedTime > '2026-01-01T00:00:00-08:00' and DocNumber like 'WR-%' order by TxnDate");
    expect(q.select).toEqual({ kind: 'count' });
    expect(q.where).toEqual([
      { field: 'Id', op: 'IN', values: ['1', '2'] },
      { field: 'MetaData.LastUpdatedTime', op: '>', value: '2026-01-01T00:00:00-08:00' },
      { field: 'DocNumber', op: 'LIKE', value: 'WR-%' },
    ]);
    expect(q.orderBy).toEqual([{ field: 'TxnDate', direction: 'ASC' }]);
  });

  it('fails like QBO on an unescaped quote, on OR, and on an empty query', () => {
    const unescaped = parseQuery("select * from Vendor where DisplayName = 'Cutlery 'R Us'");
    expect(unescaped.ok).toBe(false);
    if (!unescaped.ok) expect(unescaped.error).toMatch(/^Encountered " R " at line 1, column \d+\./);
    expect(parseQuery("select * from Customer where A = '1' or B = '2'").ok).toBe(false);
    const empty = parseQuery('  ');
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.error).toContain('"select"');
  });
});

describe('executeQuery', () => {
  const records = [
    { Id: '1', DisplayName: "O'Brien Interiors", Active: true, Balance: 5, MetaData: { LastUpdatedTime: '2026-01-02T10:00:00-08:00' } },
    { Id: '2', DisplayName: 'Acme', Active: true, Balance: 50, MetaData: { LastUpdatedTime: '2026-03-02T10:00:00-08:00' } },
    { Id: '10', DisplayName: 'Zed', Active: false, Balance: 0, MetaData: { LastUpdatedTime: '2026-02-02T10:00:00-08:00' } },
  ];

  it('compares strings case-insensitively and hides inactive names unless Active is filtered', () => {
    const run = (text: string) => executeQuery(parsed(text), records).records.map((r) => r['Id']);
    expect(run("select * from Customer where DisplayName = 'o\\'brien INTERIORS'")).toEqual(['1']);
    expect(run('select * from Customer')).toEqual(['1', '2']);
    expect(run('select * from Customer where Active in (true, false)')).toEqual(['1', '2', '10']);
    expect(run("select * from Customer where DisplayName like '%e%'")).toEqual(['1', '2']);
    expect(run("select * from Customer where MetaData.LastUpdatedTime > '2026-02-01T00:00:00Z'")).toEqual(['2']);
    expect(run('select * from Customer where Balance < 10')).toEqual(['1']);
  });

  it('orders, pages from a 1-based start position and counts every match', () => {
    const outcome = executeQuery(parsed('select * from Customer where Active in (true,false) orderby DisplayName startposition 2 maxresults 1'), records);
    expect(outcome.records.map((r) => r['DisplayName'])).toEqual(["O'Brien Interiors"]);
    expect(outcome.totalCount).toBe(3);
    expect(outcome.startPosition).toBe(2);
  });

  it('answers a field list with those fields only, plus Id and SyncToken, marked sparse', () => {
    const full = { ...records[1], SyncToken: '3', PrimaryEmailAddr: { Address: 'hi@acme.test' } };
    const [shaped] = executeQuery(parsed("select displayname, MetaData.LastUpdatedTime from Customer where Id = '2'"), [full]).records;
    expect(shaped).toEqual({ Id: '2', SyncToken: '3', domain: 'QBO', sparse: true, DisplayName: 'Acme', MetaData: { LastUpdatedTime: '2026-03-02T10:00:00-08:00' } });
  });

  it('compares with !=, <= and >=, and orders ids as numbers', () => {
    const run = (text: string) => executeQuery(parsed(text), records).records.map((r) => r['Id']);
    expect(run("select * from Customer where DisplayName != 'acme'")).toEqual(['1']);
    expect(run('select * from Customer where Balance <= 5')).toEqual(['1']);
    expect(run('select * from Customer where Active in (true, false) and Balance >= 5 orderby Id desc')).toEqual(['2', '1']);
    expect(run('select * from Customer where Active in (true, false) orderby Id')).toEqual(['1', '2', '10']);
  });
});
