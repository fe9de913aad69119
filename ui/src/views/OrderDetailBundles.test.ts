// The order detail shows a Shopify bundle's component lines under one bundle row (issue 18):
// the bundle's title, bundles ordered and SKU, its components indented beneath, other lines
// on their own; in Romanian and in English.
import { afterEach, describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { setLocale } from '../lib/i18n/index.svelte';
import type { OrderDetailView, OrderLine } from '../lib/types';
import OrderDetail from './OrderDetail.svelte';

afterEach(() => clearMocks());

const line = (id: number, code: string, quantity: number): OrderLine => ({
  id, code, variant_id: null, title: `Produs ${code}`, quantity, refunded: 0, fulfilled: 0,
  unit_price: '100', discount: '0', vat_rate: '21', tax: '17.36', taxable: true,
});

const withBundle = (): OrderDetailView => ({
  order: {
    id: 9, name: '#1009', created_at: '2025-03-30T01:30:00Z', state: { state: 'open' },
    currency: 'RON', total: '621', taxes_included: true,
    lines: [line(1, 'PNT-A', 4), line(2, 'PNT-C', 1), line(3, 'PNT-B', 2)],
    shipping: [],
    customer: { name: 'Ana Pop', email: null, company: null, cui: null, reg_com: null, address: '', city: 'Cluj', county: 'Cluj', country: 'RO' },
  },
  history: [], in_stock: null, in_stock_detail: null,
  imported_at: '2025-03-30T01:30:00Z', updated_at: '2025-03-30T01:30:00Z',
  invoice: null, outbox_state: null, review_detail: null, reserves_stock: true,
  groups: [
    { line: 1, group_id: 77, title: 'Cutie cadou', quantity: 2, sku: 'CUTIE-CADOU' },
    { line: 3, group_id: 77, title: 'Cutie cadou', quantity: 2, sku: 'CUTIE-CADOU' },
  ],
} as unknown as OrderDetailView);

describe('Order detail, a Shopify bundle', () => {
  it.each([
    ['en', 'Bundle', '2 bundles'],
    ['ro', 'Pachet', '2 pachete'],
  ] as const)('groups the components under the bundle (%s)', async (lang, word, count) => {
    setLocale(lang);
    mockIPC((cmd) => {
      if (cmd === 'order_detail') return withBundle();
      throw { code: 'ui.missing', message: cmd };
    });
    render(OrderDetail, { id: 9, onback: () => {} });
    const table = await screen.findByTestId('order-lines');
    const rows = within(table).getAllByRole('row').slice(1);
    // The bundle row stands where its first component was; C (sold alone) after its components.
    expect(rows.map((r) => r.dataset.testid)).toEqual(['order-bundle', 'order-line', 'order-line', 'order-line']);
    const head = rows[0];
    if (!head) throw new Error('a bundle row');
    expect(head.dataset.sku).toBe('CUTIE-CADOU');
    expect(head.dataset.quantity).toBe('2');
    expect(head.textContent).toContain('Cutie cadou');
    expect(head.textContent).toContain(word);
    expect(head.textContent).toContain(count);
    expect(rows.slice(1).map((r) => [r.dataset.code, r.dataset.bundle ?? null])).toEqual([
      ['PNT-A', '77'], ['PNT-B', '77'], ['PNT-C', null],
    ]);
    expect(rows[1]?.classList.contains('component')).toBe(true);
    expect(rows[3]?.classList.contains('component')).toBe(false);
    expect(screen.getByTestId('order-bundle-note')).toBeTruthy();
  });

  it('shows plain lines only when the order has no bundle', async () => {
    setLocale('en');
    mockIPC((cmd) => {
      if (cmd === 'order_detail') return { ...withBundle(), groups: [] };
      throw { code: 'ui.missing', message: cmd };
    });
    render(OrderDetail, { id: 9, onback: () => {} });
    const table = await screen.findByTestId('order-lines');
    expect(within(table).queryAllByTestId('order-bundle')).toEqual([]);
    expect(within(table).getAllByTestId('order-line').map((r) => r.dataset.code)).toEqual(['PNT-A', 'PNT-C', 'PNT-B']);
    expect(screen.queryByTestId('order-bundle-note')).toBeNull();
  });
});
