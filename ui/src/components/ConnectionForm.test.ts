import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { setLocale } from '../lib/i18n/index.svelte';
import type { ConnectionForm as Form } from '../lib/types-stock';
import ConnectionForm from './ConnectionForm.svelte';

afterEach(() => clearMocks());

const view = {
  kind: 'smart_bill' as const, fields: { email: 'a@b.ro', cif: 'RO1' }, secrets_saved: ['api_token'], tested_at: null,
};
const props = { title: 'Billing', kinds: ['smart_bill', 'oblio', 'fgo'] as ('smart_bill' | 'oblio' | 'fgo')[], view, onsaved: () => {}, ontested: () => {} };

describe('ConnectionForm', () => {
  it('shows a saved secret as "saved" with an empty field, and keeps it when left empty', async () => {
    setLocale('en');
    const forms: Form[] = [];
    mockIPC((cmd, args) => {
      forms.push((args as { form: Form }).form);
      if (cmd === 'test_connection') return { warehouses: ['D'], series: ['FCT'], vat_rates: ['21'], locations: [] };
      return { shopify: null, billing: view };
    });
    render(ConnectionForm, props);
    expect(screen.getByTestId('conn-billing-api_token-saved').textContent).toBe('saved');
    expect((screen.getByTestId('conn-billing-api_token') as HTMLInputElement).value).toBe('');
    expect((screen.getByTestId('conn-billing-save') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(screen.getByTestId('conn-billing-test'));
    await waitFor(() => expect((screen.getByTestId('conn-billing-save') as HTMLButtonElement).disabled).toBe(false));
    expect(forms[0]).toEqual({ kind: 'smart_bill', fields: { email: 'a@b.ro', cif: 'RO1' }, secrets: {} });
  });

  it('puts a backend error that names a field under that field', async () => {
    mockIPC(() => {
      throw { code: 'billing.unauthorized', message: 'SmartBill refused the token: copy it again', field: 'api_token' };
    });
    render(ConnectionForm, props);
    await fireEvent.click(screen.getByTestId('conn-billing-test'));
    const err = await screen.findByTestId('conn-billing-api_token-error');
    expect(err.textContent).toContain('copy it again');
    expect((screen.getByTestId('conn-billing-save') as HTMLButtonElement).disabled).toBe(true);
  });

  it('says which field is missing without calling the backend', async () => {
    let calls = 0;
    mockIPC(() => void calls++);
    render(ConnectionForm, { ...props, view: null });
    await fireEvent.click(screen.getByTestId('conn-billing-test'));
    expect(screen.getByTestId('conn-billing-email-error')).toBeTruthy();
    expect(screen.getByTestId('conn-billing-api_token-error')).toBeTruthy();
    expect(calls).toBe(0);
  });
});
