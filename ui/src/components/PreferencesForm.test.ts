import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { setLocale } from '../lib/i18n/index.svelte';
import type { Preferences } from '../lib/types-stock';
import PreferencesForm from './PreferencesForm.svelte';

afterEach(() => clearMocks());

const prefs: Preferences = {
  use_warehouse: true, warehouse: 'Depozit central', code_source: 'Sku', use_stock: true, sync_stock: true,
  stock_sync_every_minutes: 15, new_products: { policy: 'next_cycle' }, default_buffer: 0,
  invoice_series: 'FCT', use_warehouse_name: false, vat_payer: true, vat_standard: '21', vat_reduced: '11',
  auto_invoice: 'never', on_cancel: 'reverse',
  available: { warehouses: ['Depozit central', 'Magazin'], series: ['FCT'], vat_rates: ['21'], locations: [] },
};

describe('PreferencesForm', () => {
  it('offers the downloaded warehouses and saves only the field changed', async () => {
    setLocale('en');
    const patches: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== 'save_preferences') throw new Error(cmd);
      const patch = (args as { patch: Partial<Preferences> }).patch;
      patches.push(patch);
      return { ...prefs, ...patch };
    });
    render(PreferencesForm, { section: 'warehouse', prefs, onsaved: () => {} });
    const select = screen.getByTestId('pref-warehouse') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual(['Choose…', 'Depozit central', 'Magazin']);
    await fireEvent.change(select, { target: { value: 'Magazin' } });
    await fireEvent.click(screen.getByTestId('prefs-warehouse-save'));
    await waitFor(() => expect(patches).toEqual([{ warehouse: 'Magazin' }]));
    expect(screen.getByTestId('prefs-warehouse-result')).toBeTruthy();
  });

  it('saves the cash-on-delivery days and shows a refusal of a value out of 1–90', async () => {
    setLocale('en');
    const patches: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== 'save_preferences') throw new Error(cmd);
      const patch = (args as { patch: Partial<Preferences> }).patch;
      patches.push(patch);
      return { ...prefs, ...patch };
    });
    render(PreferencesForm, { section: 'invoice', prefs: { ...prefs, cod_unpaid_days: 10 }, onsaved: () => {} });
    const days = screen.getByTestId('pref-cod-days') as HTMLInputElement;
    expect(days.value).toBe('10');
    await fireEvent.input(days, { target: { value: '14' } });
    await fireEvent.click(screen.getByTestId('prefs-invoice-save'));
    await waitFor(() => expect(patches).toEqual([{ cod_unpaid_days: 14 }]));
    // 0 is out of the field's own range: the form is not sent at all.
    await fireEvent.input(days, { target: { value: '0' } });
    expect(days.validity.valid).toBe(false);
    await fireEvent.click(screen.getByTestId('prefs-invoice-save'));
    expect(patches).toHaveLength(1);
  });

  it('shows the backend refusal of the days on its field', async () => {
    setLocale('en');
    mockIPC(() => {
      throw { code: 'input.invalid', message: 'Numărul … / The number of days is a whole number from 1 to 90', field: 'cod_unpaid_days' };
    });
    render(PreferencesForm, { section: 'invoice', prefs: { ...prefs, cod_unpaid_days: 10 }, onsaved: () => {} });
    await fireEvent.input(screen.getByTestId('pref-cod-days'), { target: { value: '30' } });
    await fireEvent.click(screen.getByTestId('prefs-invoice-save'));
    const error = await screen.findByTestId('prefs-invoice-error');
    expect(error.textContent).toContain('from 1 to 90');
    expect(error.dataset.field).toBe('cod_unpaid_days');
  });

  it('shows the backend refusal and keeps the edit', async () => {
    setLocale('en');
    mockIPC(() => {
      throw { code: 'input.invalid', message: 'Rezerva … / The buffer is from 0 to 100000 units', field: 'default_buffer' };
    });
    render(PreferencesForm, { section: 'warehouse', prefs, onsaved: () => {} });
    const buffer = screen.getByTestId('pref-buffer') as HTMLInputElement;
    await fireEvent.input(buffer, { target: { value: '200000' } });
    await fireEvent.click(screen.getByTestId('prefs-warehouse-save'));
    const error = await screen.findByTestId('prefs-warehouse-error');
    expect(error.textContent).toContain('0 to 100000');
    expect(buffer.value).toBe('200000');
  });

  it('lets the merchant type the series when the service lists none (FGO without the list)', async () => {
    setLocale('en');
    const patches: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== 'save_preferences') throw new Error(cmd);
      const patch = (args as { patch: Partial<Preferences> }).patch;
      patches.push(patch);
      return { ...prefs, ...patch };
    });
    const none = { ...prefs, available: { ...prefs.available, series: [] } };
    render(PreferencesForm, { section: 'invoice', prefs: none, onsaved: () => {} });
    const series = screen.getByTestId('pref-series') as HTMLInputElement;
    expect(series.tagName).toBe('INPUT');
    await fireEvent.input(series, { target: { value: 'BV' } });
    await fireEvent.click(screen.getByTestId('prefs-invoice-save'));
    await waitFor(() => expect(patches).toEqual([{ invoice_series: 'BV' }]));
  });

  it('picks where credit notes restock returns, the invoice\'s warehouse first (issue 16)', async () => {
    setLocale('en');
    const patches: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd !== 'save_preferences') throw new Error(cmd);
      const patch = (args as { patch: Partial<Preferences> }).patch;
      patches.push(patch);
      return { ...prefs, ...patch };
    });
    render(PreferencesForm, { section: 'invoice', prefs: { ...prefs, credit_restock_warehouse: null }, onsaved: () => {} });
    const select = screen.getByTestId('pref-restock-warehouse') as HTMLSelectElement;
    expect([...select.options].map((o) => o.textContent)).toEqual([
      'Same warehouse as the invoice (default)', 'Depozit central', 'Magazin',
    ]);
    await fireEvent.change(select, { target: { value: 'Magazin' } });
    await fireEvent.click(screen.getByTestId('prefs-invoice-save'));
    await waitFor(() => expect(patches).toEqual([{ credit_restock_warehouse: 'Magazin' }]));
    setLocale('ro');
    await waitFor(() => expect(select.options[0]?.textContent).toBe('Aceeași gestiune ca factura (implicit)'));
    setLocale('en');
  });
});
