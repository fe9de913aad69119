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

describe('Order detail, held before any call and credit notes in review (issue 16)', () => {
  it('offers “fix it, then retry” for an order held by the VAT check, never “it does not exist”', async () => {
    setLocale('en');
    const sent: unknown[] = [];
    const held = {
      ...reviewed(), review_held: true,
      review_detail: 'Linia „A” are TVA 19 % … / Line "A" carries 19 % VAT in the order, but the product has 21 % in SmartBill: make the rates agree and retry.',
    };
    mockIPC((cmd, args) => {
      if (cmd === 'order_detail') return held;
      if (cmd === 'resolve_review') {
        sent.push(args);
        return { result: 'issued', series: 'FCT', number: '0003' };
      }
      throw { code: 'ui.missing', message: cmd };
    });
    render(OrderDetail, { id: 7, onback: () => {} });
    const panel = await screen.findByTestId('order-review');
    expect(panel.textContent).toContain('Fix it in the billing service or in Shopify, then retry');
    expect(panel.textContent).not.toContain('It does not exist');
    expect(screen.queryByTestId('review-link')).toBeNull();
    expect(screen.queryByTestId('review-issue')).toBeNull();
    await fireEvent.click(screen.getByTestId('review-retry'));
    await waitFor(() => expect(sent).toEqual([{ id: 7, resolution: { kind: 'issue' } }]));
  });

  it('offers retry, issued by hand and not needed for a credit note in review', async () => {
    setLocale('en');
    const sent: { resolution: { kind: string } }[] = [];
    const withCredit = {
      ...reviewed(), outbox_state: 'confirmed', review_detail: null,
      invoice: { series: 'FCT', number: '0001', link: null },
      documents: [
        { kind: 'invoice', state: 'confirmed', series: 'FCT', number: '0001', link: null, refund_id: null, detail: null },
        { kind: 'credit_note', state: 'needs_review', series: null, number: null, link: null, refund_id: 9001,
          detail: 'SmartBill nu poate … / SmartBill cannot do credit restocking only some lines' },
      ],
    };
    mockIPC((cmd, args) => {
      if (cmd === 'order_detail') return withCredit;
      if (cmd === 'resolve_review') {
        sent.push(args as { resolution: { kind: string } });
        const kind = (args as { resolution: { kind: string } }).resolution.kind;
        if (kind === 'credit_not_needed') return { result: 'not_needed' };
        if (kind === 'credit_by_hand') return { result: 'already_issued', series: 'FCT', number: '0042' };
        return { result: 'needs_review', detail: 'still not supported' };
      }
      throw { code: 'ui.missing', message: cmd };
    });
    render(OrderDetail, { id: 7, onback: () => {} });
    const card = await screen.findByTestId('credit-review');
    expect(card.textContent).toContain('refund 9001');
    expect(screen.queryByTestId('order-review')).toBeNull();
    await fireEvent.click(screen.getByTestId('credit-retry'));
    await waitFor(() => expect(sent).toHaveLength(1));
    await fireEvent.input(screen.getByTestId('credit-series'), { target: { value: 'FCT' } });
    await fireEvent.input(screen.getByTestId('credit-number'), { target: { value: '0042' } });
    await fireEvent.click(screen.getByTestId('credit-by-hand'));
    await waitFor(() => expect(sent).toHaveLength(2));
    expect((await screen.findByTestId('order-action-result')).textContent).toContain('FCT 0042');
    await fireEvent.input(screen.getByTestId('credit-note'), { target: { value: 'Refăcut de contabil' } });
    await fireEvent.click(screen.getByTestId('credit-not-needed'));
    await waitFor(() => expect(sent).toHaveLength(3));
    expect(sent.map((s) => s.resolution)).toEqual([
      { kind: 'credit_retry', refund: 9001 },
      { kind: 'credit_by_hand', refund: 9001, series: 'FCT', number: '0042' },
      { kind: 'credit_not_needed', refund: 9001, note: 'Refăcut de contabil' },
    ]);
    expect((await screen.findByTestId('order-action-result')).textContent).toContain('no credit note');
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
