import { afterEach, describe, expect, it } from 'vitest';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import { appStatus, BackendError, onSyncRequested, toBackendError } from './backend';

afterEach(() => clearMocks());

describe('appStatus', () => {
  it('calls the app_status command and returns its payload', async () => {
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === 'app_status') {
        return { version: '0.1.0', dataDir: '/d', logDir: '/d/logs', roundTrips: 3 };
      }
      throw new Error(`unexpected command ${cmd}`);
    });
    const status = await appStatus();
    expect(calls).toEqual(['app_status']);
    expect(status.roundTrips).toBe(3);
    expect(status.dataDir).toBe('/d');
  });

  it('turns a Rust {code, message} rejection into a BackendError', async () => {
    mockIPC(() => {
      throw { code: 'store.locked', message: 'Baza de date e ocupată' };
    });
    const err = await appStatus().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as BackendError).code).toBe('store.locked');
    expect((err as BackendError).message).toBe('Baza de date e ocupată');
  });
});

describe('toBackendError', () => {
  it.each([
    ['a plain string', 'boom', 'ui.unexpected', 'boom'],
    ['an Error', new Error('kaput'), 'ui.unexpected', 'kaput'],
    ['a code/message object', { code: 'x.y', message: 'm' }, 'x.y', 'm'],
    ['something else', 42, 'ui.unexpected', '42'],
  ])('maps %s', (_name, raw, code, message) => {
    const err = toBackendError(raw);
    expect(err.code).toBe(code);
    expect(err.message).toBe(message);
  });
});

describe('onSyncRequested', () => {
  it('delivers the source of each sync request until unlistened', async () => {
    mockIPC(() => undefined, { shouldMockEvents: true });
    const seen: string[] = [];
    const unlisten = await onSyncRequested((source) => seen.push(source));
    await emit('sync://requested', 'tray');
    unlisten();
    await emit('sync://requested', 'tray-again');
    expect(seen).toEqual(['tray']);
  });
});

describe('commands', () => {
  it('send their arguments under the Rust parameter names', async () => {
    const seen: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return cmd === 'orders_page' ? { items: [], next: null } : [];
    });
    const { ordersPage, issueInvoices, markDispatched, applySync } = await import('./backend');
    const query = { status: 'all' as const, in_stock: null, search: null, newest_first: true, after: null, limit: 10 };
    await ordersPage(query);
    await issueInvoices([1, 2]);
    await markDispatched([3]);
    await applySync(true);
    expect(seen).toEqual([
      ['orders_page', { query }],
      ['issue_invoices', { ids: [1, 2] }],
      ['mark_dispatched', { ids: [3] }],
      ['apply_sync', { confirmed: true }],
    ]);
  });

  it('keeps the field a validation error names', async () => {
    mockIPC(() => {
      throw { code: 'input.invalid', message: 'bad CIF', field: 'cif' };
    });
    const { testConnection } = await import('./backend');
    const err = await testConnection({ kind: 'oblio', fields: {}, secrets: {} }).catch((e: unknown) => e);
    expect((err as BackendError).field).toBe('cif');
  });
});

describe('onEngineEvent', () => {
  it('delivers engine events from engine://event', async () => {
    mockIPC(() => undefined, { shouldMockEvents: true });
    const { onEngineEvent } = await import('./backend');
    const seen: string[] = [];
    const stop = await onEngineEvent((e) => seen.push(e.type));
    await emit('engine://event', { type: 'findings_changed', open: 2, new: 1 });
    stop();
    expect(seen).toEqual(['findings_changed']);
  });
});
