// The guided first run (issue 15): the welcome saves the step it goes to (resumable), the
// health check stops on duplicate codes with the fix in plain words, and the preview is
// applied only on the click, after which the path is finished (the schedule starts) and the next
// run shows in Bucharest time; a group's CSV is written by the backend, which says where.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { setLocale } from '../lib/i18n/index.svelte';
import FirstRun from './FirstRun.svelte';

afterEach(() => {
  clearMocks();
  setLocale('en', false);
});

const connected = {
  shopify: { kind: 'shopify', fields: { shop_domain: 'x.myshopify.com', auth: 'dev' }, secrets_saved: ['client_secret'], tested_at: null },
  billing: { kind: 'smart_bill', fields: { cif: 'RO1', email: 'a@b.ro' }, secrets_saved: ['api_token'], tested_at: null },
};

function backend(calls: string[], health: unknown = null, saved: unknown[] = []) {
  mockIPC((cmd, args) => {
    if (cmd === 'save_health_csv') {
      saved.push(args);
      return { path: '/home/ana/Descărcări/punte-health-duplicate_codes-20261204-150000.csv', rows: 1 };
    }
    calls.push(cmd === 'set_first_run_step' ? `step:${(args as { step: string }).step}` : cmd);
    if (cmd === 'connections') return connected;
    if (cmd === 'set_first_run_step' || cmd === 'finish_first_run') return { step: null, done: false, shopify_saved: true, billing_saved: true };
    if (cmd === 'products_health') return health;
    if (cmd === 'sync_now') return {};
    if (cmd === 'preview_sync') return { status: { status: 'ready' }, writes: [{ inventory_item_id: 1, code: 'PT-1', available: 3, expected_current: 10 }], findings: [], unchanged: 4 };
    if (cmd === 'apply_sync') return { outcome: { outcome: 'ok' }, counts: { products_written: 1 } };
    if (cmd === 'engine_status') return { next_sync: '2026-12-04T15:00:00Z' };
    throw { code: 'ui.missing', message: `no ${cmd}` };
  });
}

describe('FirstRun', () => {
  it('saves the step the welcome opens', async () => {
    const calls: string[] = [];
    backend(calls);
    render(FirstRun, { start: 'welcome', onclose: () => {} });
    await fireEvent.click(screen.getByTestId('fr-connect'));
    await waitFor(() => expect(screen.getByTestId('first-run').dataset.step).toBe('shopify'));
    expect(calls).toContain('step:shopify');
    expect(screen.getAllByTestId('fr-scope').map((e) => e.dataset.scope)).toEqual(
      ['read_products', 'read_inventory', 'write_inventory', 'read_locations', 'read_orders']);
  });

  it('stops the health check on duplicate codes, names them and the fix, and goes on with the matched on request', async () => {
    const calls: string[] = [];
    backend(calls, {
      groups: [
        { group: 'matched', count: 2, rows: [] },
        { group: 'duplicate_codes', count: 1, rows: [{ code: 'PT-2', shopify: ['A', 'B'], billing: [], stock: null, note: 'shopify' }] },
      ],
      shopify_variants: 4, billing_products: 3, matched: 2,
    });
    render(FirstRun, { start: 'health', onclose: () => {} });
    await fireEvent.click(screen.getByTestId('fr-health-run'));
    await waitFor(() => expect(screen.getByTestId('fr-health-blocked').textContent).toContain('PT-2'));
    expect(screen.getByTestId('fr-health-blocked').textContent).toContain('own SKU');
    expect((screen.getByTestId('fr-next') as HTMLButtonElement).disabled).toBe(true);
    // The merchant may go on with the matched ones, once the duplicates were seen.
    await fireEvent.click(screen.getByTestId('fr-health-accept'));
    await waitFor(() => expect((screen.getByTestId('fr-next') as HTMLButtonElement).disabled).toBe(false));
    expect(screen.getByTestId('fr-next').textContent).toContain('2 matched');
  });

  it('writes only on Apply, then finishes the path', async () => {
    const calls: string[] = [];
    backend(calls);
    render(FirstRun, { start: 'preview', onclose: () => {} });
    await fireEvent.click(screen.getByTestId('fr-preview-run'));
    await waitFor(() => expect(screen.getByTestId('fr-preview-count').dataset.count).toBe('1'));
    expect(calls).not.toContain('apply_sync');
    await fireEvent.click(screen.getByTestId('fr-apply'));
    await waitFor(() => expect(screen.getByTestId('fr-done').textContent).toContain('1 product written'));
    expect(calls.indexOf('apply_sync')).toBeLessThan(calls.indexOf('finish_first_run'));
    // 15:00 UTC on 4 December is 17:00 in Bucharest (EET, UTC+2).
    await waitFor(() => expect(screen.getByTestId('fr-done-next').textContent).toContain('17:00'));
    expect(screen.getByTestId('fr-done-next').textContent).toContain('04/12/2026');
  });

  it('has the backend write a group as CSV and shows where the file is', async () => {
    const calls: string[] = [];
    const saved: unknown[] = [];
    backend(calls, {
      groups: [
        { group: 'matched', count: 2, rows: [] },
        { group: 'duplicate_codes', count: 1, rows: [{ code: 'PT-2', shopify: ['A', 'B'], billing: [], stock: null, note: 'shopify' }] },
      ],
      shopify_variants: 4, billing_products: 3, matched: 2,
    }, saved);
    render(FirstRun, { start: 'health', onclose: () => {} });
    await fireEvent.click(screen.getByTestId('fr-health-run'));
    const button = await waitFor(() => screen.getAllByTestId('fr-health-csv').find((b) => b.dataset.group === 'duplicate_codes')!);
    await fireEvent.click(button);
    await waitFor(() => expect(screen.getByTestId('fr-health-csv-saved').textContent).toContain('punte-health-duplicate_codes'));
    expect(saved).toEqual([{ group: 'duplicate_codes', csv: 'code,shopify,billing,stock,note\r\nPT-2,A | B,,,shopify\r\n' }]);
    expect(screen.getByTestId('fr-health-csv-saved').textContent).toContain('1 row saved to /home/ana/');
  });
});
