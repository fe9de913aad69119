import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { setLocale } from '../lib/i18n/index.svelte';
import type { OrderQuery, OrderSummary } from '../lib/types';
import Orders from './Orders.svelte';

afterEach(() => clearMocks());
// jsdom lays nothing out: give elements a size so the virtual list renders rows.
beforeAll(() => {
  HTMLElement.prototype.getBoundingClientRect = () =>
    ({ x: 0, y: 0, top: 0, left: 0, right: 900, bottom: 600, width: 900, height: 600, toJSON: () => ({}) }) as DOMRect;
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 600 });
  Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 900 });
});

const summary = (id: number, open = true): OrderSummary => ({
  id, name: `#${id}`, created_at: '2025-03-30T01:30:00Z', state: open ? { state: 'open' } : { state: 'cancelled' },
  customer_name: `Client ${id}`, total: '1234.5', currency: 'RON', line_count: 1, in_stock: open ? true : null,
});

function backend(queries: OrderQuery[], extra: Record<string, (a: Record<string, unknown>) => unknown> = {}) {
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    if (cmd === 'orders_page') {
      queries.push(a.query as OrderQuery);
      return { items: [summary(1), summary(2, false)], next: null };
    }
    const answer = extra[cmd];
    if (answer) return answer(a);
    throw { code: 'ui.missing', message: `no ${cmd}` };
  });
}

describe('Orders view', () => {
  it('shows the rows with RON totals and Bucharest times', async () => {
    setLocale('en');
    backend([]);
    render(Orders);
    expect(await screen.findByTestId('order-open-1')).toHaveProperty('textContent', '#1');
    const row = screen.getAllByTestId('order-row')[0]!;
    expect(row.textContent?.replace(/\s/g, ' ')).toContain('1.234,50 RON');
    expect(row.textContent).toContain('04:30');
  });

  it('asks for open orders that are InStock when the InStock chip is pressed', async () => {
    const queries: OrderQuery[] = [];
    backend(queries);
    render(Orders);
    await screen.findByTestId('order-open-1');
    await fireEvent.click(screen.getByTestId('orders-filter-in_stock'));
    await waitFor(() => expect(queries.at(-1)).toMatchObject({ status: 'pending', in_stock: true }));
  });

  it('shows the unpaid cash-on-delivery count on its chip and filters by it', async () => {
    setLocale('en');
    const queries: OrderQuery[] = [];
    backend(queries, { unpaid_cod_count: () => ({ days: 10, count: 4 }) });
    render(Orders);
    const chip = await screen.findByTestId('orders-filter-cod_unpaid');
    await waitFor(() => expect(chip.textContent).toBe('Cash on delivery unpaid after 10 days (4)'));
    await fireEvent.click(chip);
    await waitFor(() => expect(queries.at(-1)).toMatchObject({ status: 'all', unpaid_cod: true }));
    expect(screen.queryByTestId('orders-filter-cod_unpaid_before')).toBeNull();
  });

  it('shows the orders from before Punte on their own chip only when there are some', async () => {
    setLocale('en');
    const queries: OrderQuery[] = [];
    backend(queries, { unpaid_cod_count: () => ({ days: 10, count: 2, before_connection: 30 }) });
    render(Orders);
    const chip = await screen.findByTestId('orders-filter-cod_unpaid_before');
    expect(chip.textContent).toBe('Cash on delivery from before Punte (30)');
    expect(screen.getByTestId('orders-filter-cod_unpaid').textContent).toBe('Cash on delivery unpaid after 10 days (2)');
    await fireEvent.click(chip);
    await waitFor(() =>
      expect(queries.at(-1)).toMatchObject({ status: 'all', unpaid_cod: true, unpaid_cod_before_connection: true }),
    );
  });

  it('shows an error card, not a blank screen, when the command is missing', async () => {
    mockIPC(() => {
      throw 'command orders_page not found';
    });
    render(Orders);
    const card = await screen.findByTestId('orders-error');
    expect(card.textContent).toContain('command orders_page not found');
    expect(card.getAttribute('data-error-code')).toBe('ui.unexpected');
  });

  it('warns that Dispatched gives stock back to Shopify, and sends the selected ids', async () => {
    setLocale('en');
    const sent: unknown[] = [];
    backend([], { mark_dispatched: (a) => (sent.push(a.ids), [{ order: 1, ok: null, error: null }]) });
    render(Orders);
    await fireEvent.click(await screen.findByTestId('order-select-1'));
    await fireEvent.click(screen.getByTestId('orders-bulk-dispatch'));
    expect(screen.getByTestId('confirm-dispatch-body').textContent).toContain("back to Shopify's available stock");
    expect(sent).toEqual([]);
    await fireEvent.click(screen.getByTestId('confirm-dispatch-confirm'));
    await waitFor(() => expect(sent).toEqual([[1]]));
    expect((await screen.findByTestId('orders-bulk-result')).textContent).toContain('1 succeeded, 0 failed');
  });
});
