import { describe, expect, it } from 'vitest';
import { canDispatch, canInvoice, documentRow, filterToQuery, ORDER_FILTERS, parseVerdict, spvKey, stateKey } from './orders';
import type { OrderDocument } from './types';

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
    ['refund_without_credit', 'refund_without_credit', null],
  ] as const)('%s → status %s, in_stock %s', (filter, status, inStock) => {
    const q = filterToQuery(filter, '');
    expect(q.status).toBe(status);
    expect(q.in_stock).toBe(inStock);
    expect(q.newest_first).toBe(true);
  });

  it('asks for unpaid cash on delivery over every order state, the cut-off left to the backend', () => {
    const q = filterToQuery('cod_unpaid', ' #1001 ');
    expect(q).toMatchObject({ status: 'all', unpaid_cod: true, search: '#1001', in_stock: null });
    expect(filterToQuery('all', '').unpaid_cod).toBeUndefined();
    expect(filterToQuery('cod_unpaid', '').unpaid_cod_before_connection).toBeUndefined();
    expect(filterToQuery('cod_unpaid_before', '')).toMatchObject({
      status: 'all',
      unpaid_cod: true,
      unpaid_cod_before_connection: true,
    });
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

describe('order documents', () => {
  const doc = (over: Partial<OrderDocument>): OrderDocument => ({
    kind: 'credit_note',
    state: 'confirmed',
    series: 'FCT',
    number: '0008',
    link: null,
    refund_id: 9001,
    detail: null,
    ...over,
  });

  it('names an invoice and a credit note with their number and state', () => {
    expect(documentRow(doc({ kind: 'invoice', refund_id: null }))).toEqual({
      kindKey: 'doc.invoice',
      label: 'FCT 0008',
      stateKey: 'outbox.confirmed',
      attention: false,
    });
    expect(documentRow(doc({})).kindKey).toBe('doc.credit');
  });

  it('shows a dash until the service gave a number', () => {
    expect(documentRow(doc({ state: 'sent', series: null, number: null })).label).toBe('—');
  });

  it('flags what waits for the merchant, and words a refund that needed no document', () => {
    expect(documentRow(doc({ state: 'needs_review', number: null })).attention).toBe(true);
    expect(documentRow(doc({ state: 'failed' })).attention).toBe(true);
    const none = documentRow(doc({ state: 'not_needed', series: null, number: null }));
    expect(none.stateKey).toBe('doc.notNeeded');
    expect(none.attention).toBe(false);
  });
});
