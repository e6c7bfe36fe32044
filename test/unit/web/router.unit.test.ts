import { describe, expect, it } from 'vitest';
import { matchPath, withQuery } from '../../../src/web/router.js';

describe('matchPath', () => {
  it('extracts and decodes params', () => {
    expect(matchPath('/invoices/:id', '/invoices/abc%20d')).toEqual({ id: 'abc d' });
    expect(matchPath('/:segment/:id', '/purchase-orders/new')).toEqual({ segment: 'purchase-orders', id: 'new' });
  });

  it('needs the same number of segments and equal literals', () => {
    expect(matchPath('/invoices/:id', '/invoices')).toBeNull();
    expect(matchPath('/invoices/:id', '/invoices/1/edit')).toBeNull();
    expect(matchPath('/clients/:id', '/vendors/1')).toBeNull();
    expect(matchPath('/clients', '/clients/')).toEqual({});
  });
});

describe('withQuery', () => {
  it('drops empty values and encodes the rest', () => {
    expect(withQuery('/clients', { q: "O'Brien & Sons", page: 2, status: '' , x: undefined })).toBe('/clients?q=O%27Brien+%26+Sons&page=2');
    expect(withQuery('/clients', { q: '' })).toBe('/clients');
  });
});
