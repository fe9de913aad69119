import { describe, expect, it } from 'vitest';
import { canDispatch, canInvoice, filterToQuery, ORDER_FILTERS, parseVerdict, spvKey, stateKey } from './orders';

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
  it('reads the stored explanation with the names of the older orders', () => {
    const text = JSON.stringify({
      verdict: 'not_in_stock',
      shortfalls: [{ code: 'PT-CANA', needed: 1, available: 5, left: 0, short_by: 1, takers: ['#1002', '#1003'], takers_total: 2 }],
    });
    const [s] = parseVerdict(text) ?? [];
    expect(s).toEqual({ code: 'PT-CANA', needed: 1, available: 5, left: 0, short_by: 1, takers: ['#1002', '#1003'], takers_total: 2 });
  });
  it('reads the bare list older versions stored (no names, a count)', () => {
    const text = '[{"code":"PT-CANA","lines":[1024],"needed":1,"available":5,"left":0,"short_by":1,"earlier_takers":2,"takers_start":0}]';
    const [s] = parseVerdict(text) ?? [];
    expect(s?.takers).toEqual([]);
    expect(s?.takers_total).toBe(2);
  });
  it('returns null for plain text, bad JSON and nothing', () => {
    expect(parseVerdict('short by 2')).toBeNull();
    expect(parseVerdict('{"verdict":"maybe"}')).toBeNull();
    expect(parseVerdict(null)).toBeNull();
  });
});

describe('e-Factura filters and words', () => {
  it('maps the SPV chips to the store filter over every order', () => {
    expect(filterToQuery('spv_rejected', '')).toMatchObject({ status: 'all', efactura: 'rejected' });
    expect(filterToQuery('spv_not_sent', '')).toMatchObject({ status: 'all', efactura: 'not_sent' });
    expect(filterToQuery('spv_in_progress', '')).toMatchObject({ status: 'all', efactura: 'in_progress' });
    expect(filterToQuery('all', '').efactura ?? null).toBeNull();
  });
  it('names every SPV state', () => {
    expect(spvKey({ state: 'rejected', reason: 'x' })).toBe('spv.rejected');
    expect(spvKey({ state: 'sent_by_service', service: 'FGO', link: null })).toBe('spv.sent_by_service');
    expect(spvKey({ state: 'accepted' })).toBe('spv.accepted');
  });
});
