import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { setLocale } from '../lib/i18n/index.svelte';
import type { UpdateStatus } from '../lib/types-app';
import UpdateBanner from './UpdateBanner.svelte';
import VersionLabel from './VersionLabel.svelte';

afterEach(() => clearMocks());

const found: UpdateStatus = {
  current: '0.1.0',
  phase: 'idle',
  available: { version: '0.1.1', notes: 'Faster stock sync', date: null },
  last_checked: '2026-12-01T08:00:00Z',
  error: null,
};

describe('UpdateBanner', () => {
  it('shows the version, offers the update with its notes and installs only on the click', async () => {
    setLocale('en');
    const calls: string[] = [];
    mockIPC((cmd) => {
      calls.push(cmd);
      if (cmd === 'update_status') return found;
      if (cmd === 'install_update') return { ...found, phase: 'restarting' };
      throw new Error(cmd);
    }, { shouldMockEvents: true });
    render(UpdateBanner);
    render(VersionLabel);
    expect((await screen.findByTestId('update-available')).textContent).toBe('Update available: 0.1.1');
    expect(screen.getByTestId('app-version').dataset.version).toBe('0.1.0');
    expect(screen.getByTestId('update-notes').textContent).toBe('Faster stock sync');
    expect(calls).not.toContain('install_update');
    await fireEvent.click(screen.getByTestId('update-install'));
    await waitFor(() => expect(calls).toContain('install_update'));
    expect((await screen.findByTestId('update-phase')).textContent).toContain('restarting');
  });

  it('shows a refused signature in plain words and keeps offering the update', async () => {
    setLocale('en');
    mockIPC((cmd) => {
      if (cmd === 'update_status') return found;
      throw { code: 'update.bad_signature', message: 'The update does not carry a valid Punte signature and was refused; nothing was changed' };
    }, { shouldMockEvents: true });
    render(UpdateBanner);
    await fireEvent.click(await screen.findByTestId('update-install'));
    expect((await screen.findByTestId('update-error')).textContent).toContain('nothing was changed');
    expect(screen.getByTestId('update-install')).toBeTruthy();
  });
});
