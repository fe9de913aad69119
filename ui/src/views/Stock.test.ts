// Stock: findings are open by default and resolved on request (issue 12, item 3), each worded
// from its kind and parameters in the window's language, and a new product held by the
// schedule says until when (item 7).
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { setLocale } from '../lib/i18n/index.svelte';
import Stock from './Stock.svelte';

afterEach(() => {
  clearMocks();
  setLocale('en', false);
});

const finding = (id: number, kind: string, code: string, detail: unknown, resolved: string | null) => ({
  id,
  finding: { key: `${kind}:${code}`, kind, code, message: 'English', what_to_fix: 'English advice', detail: JSON.stringify(detail) },
  first_seen: '2026-12-04T08:00:00Z',
  last_seen: '2026-12-04T09:00:00Z',
  seen_count: 1,
  resolved_at: resolved,
  run: 1,
});

const row = {
  code: 'NOU-1', title: 'Produs nou', variant_id: 1, inventory_item_id: 11, tracked: true,
  shopify_available: 0, billing_stock: 5, reserved: 0, buffer: 0, target: 5,
  status: 'held', read_at: null, held_until: '2026-11-28T05:00:00Z',
};

function backend(closedAsked: boolean[]) {
  mockIPC((cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    if (cmd === 'stock_overview') return [row];
    if (cmd === 'findings') {
      closedAsked.push(Boolean(a.closed));
      return a.closed
        ? [finding(2, 'shopify_drift', 'PT-CANA', { read: 40, expected: 5, down: 0, up: 0 }, '2026-12-04T10:00:00Z')]
        : [finding(1, 'target_below_zero', 'PT-CANA', { kind: 'target_below_zero', code: 'PT-CANA', billing: 5, reserved: 6, buffer: 0, target: -1 }, null)];
    }
    throw { code: 'ui.missing', message: `no ${cmd}` };
  });
}

describe('Stock view', () => {
  it('lists open findings, then resolved ones on request, worded in Romanian', async () => {
    setLocale('ro', false);
    const asked: boolean[] = [];
    backend(asked);
    render(Stock);
    const open = await screen.findByTestId('finding');
    expect(open.textContent).toContain('Țintă sub zero');
    expect(open.textContent).toContain('Facturare 5 − rezervat 6 − rezervă 0 = -1');
    expect(open.textContent).not.toContain('English');
    await fireEvent.click(screen.getByTestId('findings-closed'));
    await waitFor(() => expect(screen.getByTestId('finding').dataset.kind).toBe('shopify_drift'));
    expect(asked).toContain(true);
    expect(screen.getByTestId('finding').textContent).toContain('Shopify arăta 40 pentru PT-CANA');
    expect(screen.getByTestId('finding').textContent).toContain('rezolvată');
  });

  it('says until when a new product waits', async () => {
    setLocale('en', false);
    backend([]);
    render(Stock);
    const held = await screen.findByTestId('stock-held-NOU-1');
    expect(screen.getByTestId('stock-status-NOU-1').textContent).toBe('New product: waits');
    expect(held.textContent).toMatch(/^joins the sync 28\/11\/2026, 07:00$/);
  });
});

// Issue 18: per-location columns only when two or more locations are mapped; a kit's
// availability from its recipe.
describe('Stock view with several locations and kits', () => {
  const two = [
    { location_id: 1, name: 'Depozit', available: 7, reserved: 0 },
    { location_id: 2, name: 'Showroom', available: 4, reserved: 3 },
  ];
  const plain = { ...row, code: 'A', status: 'in_sync', held_until: null };
  function rows(list: unknown[]) {
    mockIPC((cmd) => {
      if (cmd === 'stock_overview') return list;
      if (cmd === 'findings') return [];
      throw { code: 'ui.missing', message: `no ${cmd}` };
    });
  }

  it('adds level and reserved per location with two locations mapped', async () => {
    setLocale('en', false);
    rows([{ ...plain, locations: two }]);
    render(Stock);
    expect((await screen.findByTestId('stock-loc-2-A')).textContent).toBe('4');
    expect(screen.getByTestId('stock-locres-2-A').textContent).toBe('3');
    expect(screen.getAllByTestId('stock-loc-col').map((h) => h.textContent)).toEqual(['Depozit: available', 'Showroom: available']);
  });

  it('shows no location columns with one location mapped', async () => {
    setLocale('en', false);
    rows([{ ...plain, locations: [] }]);
    render(Stock);
    await screen.findByTestId('stock-row');
    expect(screen.queryAllByTestId('stock-loc-col')).toEqual([]);
    expect(screen.queryByTestId('stock-bundle-col')).toBeNull();
  });

  it("shows a kit's availability from its components", async () => {
    setLocale('en', false);
    const bundle = { kind: 'kit', available: 3, components: [{ code: 'A', quantity: 2 }] };
    rows([plain, { ...plain, code: 'GIFT', variant_id: 2, bundle }]);
    render(Stock);
    expect((await screen.findByTestId('stock-bundle-GIFT')).textContent?.trim()).toBe('kit: 3 possible');
    expect(screen.getByTestId('stock-bundle-A').textContent?.trim()).toBe('');
  });
});
