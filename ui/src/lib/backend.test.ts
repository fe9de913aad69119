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
