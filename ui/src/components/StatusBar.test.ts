// The status bar's Sync now notice counts what the whole run did (issue 12: "0 orders imported"
// when the run imported 3) and follows a language switch; a refusal shows in the window's
// language, never as raw text.
import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { setLocale } from '../lib/i18n/index.svelte';
import StatusBar from './StatusBar.svelte';
import { applyEvent } from '../lib/live.svelte';

afterEach(() => {
  clearMocks();
  setLocale('en', false);
});

const run = (orders: number, written: number) => ({
  run_id: 7,
  counts: { orders_imported: orders, products_in_scope: 7, products_written: written, stale_retries: 0, findings: 0, invoices_issued: 0 },
  calls: { shopify: 4, shopify_writes: 1, billing: 1 },
  outcome: { outcome: 'ok' },
  started_at: '2026-12-04T10:00:00Z',
  finished_at: '2026-12-04T10:00:02Z',
});

function backend(answer: () => unknown) {
  mockIPC((cmd) => {
    if (cmd === 'app_status') return { version: '0.1.0', dataDir: '/tmp/p', logDir: '/tmp/p/logs', roundTrips: 1 };
    if (cmd === 'sync_now') return answer();
    throw { code: 'ui.missing', message: `no ${cmd}` };
  });
}

describe('StatusBar', () => {
  it('says how many orders the run imported, in the language shown now', async () => {
    setLocale('en', false);
    backend(() => run(3, 1));
    render(StatusBar);
    await fireEvent.click(screen.getByTestId('sync-now'));
    const notice = await screen.findByTestId('sync-notice');
    expect(notice.textContent).toBe('Sync finished: 1 product written, 3 orders imported');
    setLocale('ro', false);
    await waitFor(() =>
      expect(screen.getByTestId('sync-notice').textContent).toBe('Sincronizare încheiată: 1 produs scris, 3 comenzi importate'),
    );
  });

  it('shows a refusal in the window language', async () => {
    setLocale('ro', false);
    backend(() => {
      throw { code: 'engine.stopped', message: 'Oprit / Stopped', params: { ro: 'Oprit', en: 'Stopped' } };
    });
    render(StatusBar);
    await fireEvent.click(screen.getByTestId('sync-now'));
    expect((await screen.findByTestId('sync-error')).textContent).toBe('Oprit');
  });
});

describe('StatusBar freshness', () => {
  it('shows how often billing stock is re-read and the share of its limit, in both languages', async () => {
    setLocale('en', false);
    backend(() => run(0, 0));
    applyEvent({
      type: 'status', state: 'running', offline_since: null, last_sync: null, next_sync: null,
      awaiting_confirmation: false, last_error: null,
      freshness: { service: 'oblio', share_percent: 50, used_permille: 500, limit_calls: 30,
        limit_seconds: 10, calls_per_hour: 5400, look_seconds: 10, sweep_seconds: 54, products: 20000 },
    });
    render(StatusBar);
    const line = await screen.findByTestId('status-freshness');
    expect(line.textContent?.trim()).toBe('Billing stock re-read every 54 s (50% of its limit)');
    expect(line.getAttribute('title')).toBe(
      'Oblio: 5400 stock reads an hour; the limit is 30 calls per 10 s and Punte may use 50% of it',
    );
    setLocale('ro', false);
    await waitFor(() =>
      expect(screen.getByTestId('status-freshness').textContent?.trim()).toBe(
        'Stocul din facturare e recitit la fiecare 54 s (50% din limita sa)',
      ),
    );
    applyEvent({
      type: 'status', state: 'running', offline_since: null, last_sync: null, next_sync: null,
      awaiting_confirmation: false, last_error: null,
      freshness: { service: 'fgo', share_percent: 100, used_permille: 938, limit_calls: 1,
        limit_seconds: 30, calls_per_hour: 113, look_seconds: 10, sweep_seconds: 3200, products: 20000 },
    });
    await waitFor(() =>
      expect(screen.getByTestId('status-freshness').textContent?.trim()).toBe(
        'Stocul din facturare e recitit la fiecare 53 min (93,8% din limita sa)',
      ),
    );
    applyEvent({
      type: 'status', state: 'running', offline_since: null, last_sync: null, next_sync: null,
      awaiting_confirmation: false, last_error: null, freshness: null,
    });
    await waitFor(() => expect(screen.queryByTestId('status-freshness')).toBeNull());
  });
});
