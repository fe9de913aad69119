import { describe, expect, it } from 'vitest';
import { canDispatch, canInvoice, filterToQuery, ORDER_FILTERS, parseVerdict, stateKey } from './orders';

describe('filterToQuery', () => {
  it.each([
    ['all', 'all', null],
    ['open', 'pending', null],
    ['in_stock', 'pending', true],
    ['not_in_stock', 'pending', false],
    ['invoiced', 'invoiced', null],
    ['dispatched', 'dispatched', null],
    ['cancelled', 'cancelled', null],
    ['needs_review', 'needs_review', null],
  ] as const)('%s → status %s, in_stock %s', (filter, status, inStock) => {
    const q = filterToQuery(filter, '');
    expect(q.status).toBe(status);
    expect(q.in_stock).toBe(inStock);
    expect(q.newest_first).toBe(true);
  });

  it('covers every filter chip', () => {
    for (const f of ORDER_FILTERS) expect(filterToQuery(f, '').status).toBeTruthy();
  });

  it('trims the search and sends null for blank text', () => {
    expect(filterToQuery('all', '  #1001 ').search).toBe('#1001');
    expect(filterToQuery('all', '   ').search).toBeNull();
  });

  it('passes the cursor and limit through', () => {
    const after = { created_at: '2025-01-01T00:00:00Z', id: 7 };
    const q = filterToQuery('open', '', after, 50);
    expect(q.after).toEqual(after);
    expect(q.limit).toBe(50);
  });
});

describe('order states', () => {
  it('names invoiced orders by whether stock was discharged', () => {
    expect(stateKey({ state: 'invoiced', stock_discharged: true })).toBe('state.invoiced');
    expect(stateKey({ state: 'invoiced', stock_discharged: false })).toBe('state.invoicedKept');
  });
  it('allows dispatching only orders that still reserve stock', () => {
    expect(canDispatch({ state: 'open' })).toBe(true);
    expect(canDispatch({ state: 'invoiced', stock_discharged: false })).toBe(true);
    expect(canDispatch({ state: 'invoiced', stock_discharged: true })).toBe(false);
    expect(canDispatch({ state: 'cancelled' })).toBe(false);
    expect(canInvoice({ state: 'dispatched' })).toBe(false);
  });
});

describe('parseVerdict', () => {
  it('reads a serialised NotInStock verdict with its shortfalls', () => {
    const text = JSON.stringify({
      verdict: 'not_in_stock',
      shortfalls: [{ code: 'TS-W', lines: [1], needed: 2, available: 3, left: 1, short_by: 1, earlier_takers: 1, takers_start: 0 }],
    });
    const v = parseVerdict(text);
    expect(v?.verdict).toBe('not_in_stock');
    expect(v && v.verdict === 'not_in_stock' ? v.shortfalls[0]?.short_by : null).toBe(1);
  });
  it('returns null for plain text, bad JSON and nothing', () => {
    expect(parseVerdict('short by 2')).toBeNull();
    expect(parseVerdict('{"verdict":"maybe"}')).toBeNull();
    expect(parseVerdict(null)).toBeNull();
  });
});
