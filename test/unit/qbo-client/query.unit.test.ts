import { describe, expect, it } from 'vitest';
import { escapeQueryString, QboQuery } from '../../../src/qbo/client/index.js';

describe('QboQuery', () => {
  it("escapes apostrophes so O'Brien & Sons stays one literal", () => {
    const q = QboQuery.select('Customer').where('DisplayName', '=', "O'Brien & Sons");
    expect(q.toString()).toBe("select * from Customer where DisplayName = 'O\\'Brien & Sons'");
  });

  it('escapes backslashes before quotes, so a trailing backslash cannot eat the closing quote', () => {
    expect(escapeQueryString('back\\slash')).toBe('back\\\\slash');
    expect(escapeQueryString("evil\\' or 1=1")).toBe("evil\\\\\\' or 1=1");
    const q = QboQuery.select('Vendor').where('DisplayName', '=', 'ends with\\');
    expect(q.toString()).toBe("select * from Vendor where DisplayName = 'ends with\\\\'");
  });

  it('supports count, LIKE, IN, AND, order and paging', () => {
    const q = QboQuery.select('Invoice')
      .where('DocNumber', 'LIKE', "INV-%'")
      .where('Id', 'IN', ['1', "2'"])
      .where('TotalAmt', '>=', 10.5)
      .where('Active', '=', true)
      .orderBy('TxnDate', 'DESC')
      .startPosition(11)
      .maxResults(10);
    expect(q.toString()).toBe(
      "select * from Invoice where DocNumber like 'INV-%\\'' and Id in ('1', '2\\'') and TotalAmt >= 10.5 and Active = true orderby TxnDate DESC startposition 11 maxresults 10",
    );
    expect(QboQuery.count('Customer').where('Active', '=', false).toString()).toBe(
      'select count(*) from Customer where Active = false',
    );
  });

  it('is immutable', () => {
    const base = QboQuery.select('Item');
    base.where('Name', '=', 'x');
    expect(base.toString()).toBe('select * from Item');
  });

  it('refuses field names and values that could change the statement', () => {
    expect(() => QboQuery.select('Customer where 1=1')).toThrow(RangeError);
    expect(() => QboQuery.select('Customer').where("DisplayName = 'x' or", '=', 'y')).toThrow(RangeError);
    expect(() => QboQuery.select('Customer').where('Id', 'IN', [])).toThrow(RangeError);
    expect(() => QboQuery.select('Customer').where('Balance', '>', Number.NaN).toString()).toThrow(RangeError);
    expect(() => QboQuery.select('Customer').maxResults(1001)).toThrow(RangeError);
    expect(() => QboQuery.select('Customer').startPosition(0)).toThrow(RangeError);
  });

  it('keeps the MetaData.LastUpdatedTime dotted field', () => {
    const q = QboQuery.select('Customer').where('MetaData.LastUpdatedTime', '>', '2025-01-01T00:00:00Z');
    expect(q.toString()).toBe("select * from Customer where MetaData.LastUpdatedTime > '2025-01-01T00:00:00Z'");
  });
});
