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

  it('tests Shopify, then offers the downloaded locations and saves the one chosen', async () => {
    setLocale('en');
    const forms: Form[] = [];
    mockIPC((cmd, args) => {
      forms.push((args as { form: Form }).form);
      if (cmd === 'test_connection') return { warehouses: [], series: [], vat_rates: [], locations: [{ id: 11, name: 'Main' }, { id: 12, name: 'Shop' }] };
      return { shopify: null, billing: null };
    });
    render(ConnectionForm, { ...props, title: 'Shopify', kinds: ['shopify'] as 'shopify'[], view: null });
    await fireEvent.click(screen.getByTestId('conn-shopify-auth-legacy'));
    await fireEvent.input(screen.getByTestId('conn-shopify-shop_domain'), { target: { value: 'a.myshopify.com' } });
    await fireEvent.input(screen.getByTestId('conn-shopify-admin_token'), { target: { value: 'shpat_x' } });
    await fireEvent.click(screen.getByTestId('conn-shopify-test'));
    await screen.findByText('Shop');
    expect(screen.getByTestId('conn-shopify-result').textContent).toContain('2 locations');
    await fireEvent.change(screen.getByTestId('conn-shopify-location_id'), { target: { value: '12' } });
    await fireEvent.click(screen.getByTestId('conn-shopify-save'));
    await waitFor(() => expect(forms.length).toBe(2));
    expect(forms[1]).toEqual({ kind: 'shopify', fields: { shop_domain: 'a.myshopify.com', location_id: '12', auth: 'legacy' }, secrets: { admin_token: 'shpat_x' } });
  });

  it('saves even when the VAT rates cannot be read, and says so plainly (issue 16)', async () => {
    setLocale('en');
    const saved: unknown[] = [];
    mockIPC((cmd) => {
      if (cmd === 'test_connection') return { warehouses: ['D'], series: ['FCT'], vat_rates: [], locations: [] };
      return {
        shopify: null, billing: view,
        vat_warning: { code: 'billing.vat_unread', message: 'Cotele TVA … / The company\'s VAT rates could not be read (SmartBill is down); the connection is saved and Punte reads them again before the first invoice.' },
      };
    });
    render(ConnectionForm, { ...props, onsaved: (v: unknown) => saved.push(v) });
    await fireEvent.click(screen.getByTestId('conn-billing-test'));
    await waitFor(() => expect((screen.getByTestId('conn-billing-save') as HTMLButtonElement).disabled).toBe(false));
    await fireEvent.click(screen.getByTestId('conn-billing-save'));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect((await screen.findByTestId('conn-billing-vat')).textContent).toContain('the connection is saved');
    expect(screen.getByTestId('conn-billing-result')).toBeTruthy();
  });
});
