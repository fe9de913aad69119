import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { setLocale } from '../lib/i18n/index.svelte';
import type { OrderDetailView } from '../lib/types';
import OrderDetail from './OrderDetail.svelte';

afterEach(() => clearMocks());

const reviewed = (): OrderDetailView => ({
  order: {
    id: 7, name: '#1007', created_at: '2025-03-30T01:30:00Z', updated_at: '2025-03-30T01:30:00Z',
    state: { state: 'open' }, financial_status: 'PENDING', currency: 'RON', total: '121', taxes_included: true,
    lines: [], shipping: [],
    customer: { name: 'Ana Pop', email: null, company: null, cui: null, reg_com: null, address: '', city: 'Cluj', county: 'Cluj', country: 'RO' },
  },
  history: [], in_stock: null, in_stock_detail: null,
  imported_at: '2025-03-30T01:30:00Z', updated_at: '2025-03-30T01:30:00Z',
  invoice: null, outbox_state: 'needs_review',
  review_detail: 'The answer to the invoice was lost (invoices to check: FCT 0001, FCT 0002).',
  reserves_stock: true,
} as unknown as OrderDetailView);

describe('Order detail, invoice in review', () => {
  it('offers both ways out and sends the merchant’s choice', async () => {
    setLocale('en');
    const sent: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'order_detail') return reviewed();
      if (cmd === 'resolve_review') {
        sent.push(args);
        return { result: 'already_issued', series: 'FCT', number: '0001' };
      }
      throw { code: 'ui.missing', message: cmd };
    });
    render(OrderDetail, { id: 7, onback: () => {} });
    expect((await screen.findByTestId('order-review-detail')).textContent).toContain('FCT 0002');
    await fireEvent.input(screen.getByTestId('review-series'), { target: { value: 'FCT' } });
    await fireEvent.input(screen.getByTestId('review-number'), { target: { value: '0001' } });
    await fireEvent.click(screen.getByTestId('review-link'));
    await waitFor(() =>
      expect(sent).toEqual([{ id: 7, resolution: { kind: 'link', series: 'FCT', number: '0001' } }]),
    );
    expect((await screen.findByTestId('order-action-result')).textContent).toContain('FCT 0001');
    await fireEvent.click(screen.getByTestId('review-issue'));
    await waitFor(() => expect(sent).toHaveLength(2));
    expect(sent[1]).toEqual({ id: 7, resolution: { kind: 'issue' } });
  });
});

const codOrder = (collected: boolean): OrderDetailView => ({
  ...reviewed(),
  order: { ...reviewed().order, state: { state: 'invoiced', stock_discharged: true } },
  outbox_state: 'confirmed', review_detail: null, reserves_stock: false,
  invoice: { series: 'FCT', number: '0007', link: null },
  cod: {
    cash_on_delivery: true, financial_status: 'PENDING', fulfillment_status: 'FULFILLED',
    fulfilled_at: '2025-03-30T01:30:00Z', paid_at: null,
    collection: collected
      ? { state: 'confirmed', source: 'merchant', collected_on: '2025-04-02', invoice: 'FCT 0007', amount: '121.00', detail: null }
      : null,
  },
} as unknown as OrderDetailView);

describe('Order detail, cash on delivery', () => {
  it('marks the order paid after a confirmation, then shows the collection and no button', async () => {
    setLocale('en');
    let collected = false;
    const sent: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'order_detail') return codOrder(collected);
      if (cmd === 'mark_collected') {
        sent.push(args);
        collected = true;
        return { result: 'recorded', invoice: 'FCT 0007' };
      }
      throw { code: 'ui.missing', message: cmd };
    });
    render(OrderDetail, { id: 7, onback: () => {} });
    const button = await screen.findByTestId('order-mark-paid');
    expect(button.textContent?.trim()).toBe('Mark as paid (collected)');
    expect(screen.getByTestId('order-collection').dataset.state).toBe('none');
    await fireEvent.click(button);
    expect(sent).toEqual([]);
    await fireEvent.click(await screen.findByTestId('confirm-mark-paid-confirm'));
    await waitFor(() => expect(sent).toEqual([{ id: 7 }]));
    expect((await screen.findByTestId('order-paid-result')).textContent).toContain('recorded on invoice FCT 0007');
    await waitFor(() => expect(screen.getByTestId('order-collection').dataset.state).toBe('confirmed'));
    expect(screen.getByTestId('order-collection').textContent).toContain('121.00 on invoice FCT 0007');
    expect(screen.queryByTestId('order-mark-paid')).toBeNull();
  });

  it('says plainly when the billing service cannot be reached', async () => {
    setLocale('ro');
    mockIPC((cmd) => {
      if (cmd === 'order_detail') return codOrder(false);
      if (cmd === 'mark_collected')
        throw { code: 'billing.unavailable', message: 'x', params: { ro: 'SmartBill nu răspunde.', en: 'SmartBill does not answer.' } };
      throw { code: 'ui.missing', message: cmd };
    });
    render(OrderDetail, { id: 7, onback: () => {} });
    await fireEvent.click(await screen.findByTestId('order-mark-paid'));
    await fireEvent.click(await screen.findByTestId('confirm-mark-paid-confirm'));
    expect((await screen.findByTestId('order-paid-result')).textContent).toBe('SmartBill nu răspunde.');
    expect(screen.getByTestId('order-mark-paid')).toBeTruthy();
  });
});
