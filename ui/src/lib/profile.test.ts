import { describe, expect, it } from 'vitest';
import { buildConnectionForm, completesConnections, diffPreferences, locationChoices, missingFields, serviceFields } from './profile';
import type { Preferences } from './types-stock';

describe('connection forms', () => {
  it('asks each service for its own fields', () => {
    expect(serviceFields('smart_bill').secrets).toEqual(['api_token']);
    expect(serviceFields('oblio').secrets).toEqual(['api_secret']);
    expect(serviceFields('fgo').plain).toContain('cod_unic');
    expect(serviceFields('shopify', 'legacy').secrets).toEqual(['admin_token']);
  });

  it('leaves blank secrets out, so the saved one is kept', () => {
    const form = buildConnectionForm('smart_bill', { email: ' a@b.ro ', cif: 'RO1' }, { api_token: '  ' });
    expect(form.secrets).toEqual({});
    expect(form.fields).toEqual({ email: 'a@b.ro', cif: 'RO1' });
  });

  it('sends a typed secret and only the fields of the chosen service', () => {
    const form = buildConnectionForm('oblio', { email: 'x@y.ro', cif: '1', cod_unic: 'zzz' }, { api_secret: 's3' });
    expect(form.secrets).toEqual({ api_secret: 's3' });
    expect(form.fields).not.toHaveProperty('cod_unic');
  });

  it('reports what is missing, counting a saved secret as present', () => {
    const form = buildConnectionForm('smart_bill', { email: '', cif: 'RO1' }, {});
    expect(missingFields(form, [])).toEqual(['email', 'api_token']);
    expect(missingFields(form, ['api_token'])).toEqual(['email']);
  });

  it('lets the location be chosen later (the backend takes the primary one)', () => {
    const form = buildConnectionForm('shopify', { shop_domain: 's.myshopify.com', location_id: '' }, {}, 'legacy');
    expect(missingFields(form, [])).toEqual(['admin_token']);
    expect(missingFields(form, ['admin_token'])).toEqual([]);
  });

  it('offers the tested locations, else the saved ones, and keeps the current choice listed', () => {
    const saved = [{ id: 1, name: 'Depozit' }];
    expect(locationChoices(null, saved, '1')).toEqual([{ id: '1', name: 'Depozit' }]);
    expect(locationChoices([{ id: 2, name: 'Magazin' }], saved, '')).toEqual([{ id: '2', name: 'Magazin' }]);
    expect(locationChoices([], saved, '7')).toEqual([{ id: '7', name: '7' }]);
  });

  it('records the Shopify app type', () => {
    const form = buildConnectionForm('shopify', { shop_domain: 's.myshopify.com', location_id: '1' }, { admin_token: 'shpat_x' }, 'legacy');
    expect(form.fields.auth).toBe('legacy');
    expect(form.secrets).toEqual({ admin_token: 'shpat_x' });
  });
});

const prefs: Preferences = {
  use_warehouse: true, warehouse: 'Depozit', code_source: 'Sku', use_stock: true, sync_stock: true,
  stock_sync_every_minutes: 15, new_products: { policy: 'next_cycle' }, default_buffer: 0,
  invoice_series: 'FCT', use_warehouse_name: false, vat_payer: true, vat_standard: '21', vat_reduced: '11',
  auto_invoice: 'never', on_cancel: 'reverse',
  available: { warehouses: ['Depozit'], series: ['FCT'], vat_rates: ['21'], locations: [] },
};

describe('diffPreferences', () => {
  it('sends only the field that changed', () => {
    expect(diffPreferences(prefs, { ...prefs, default_buffer: 2 })).toEqual({ default_buffer: 2 });
  });
  it('compares nested values by content', () => {
    const edited = { ...prefs, new_products: { policy: 'next_day_after' as const, local_time: '07:00' } };
    expect(diffPreferences(prefs, edited)).toEqual({ new_products: { policy: 'next_day_after', local_time: '07:00' } });
    expect(diffPreferences(prefs, { ...prefs, new_products: { policy: 'next_cycle' } })).toEqual({});
  });
  it('never sends the downloaded lists', () => {
    const edited = { ...prefs, available: { ...prefs.available, series: ['X'] } };
    expect(diffPreferences(prefs, edited)).toEqual({});
  });
});

describe('completesConnections', () => {
  const shop = { kind: 'shopify' as const, fields: {}, secrets_saved: ['admin_token'], tested_at: null };
  const bill = { kind: 'smart_bill' as const, fields: {}, secrets_saved: ['api_token'], tested_at: null };
  it('is true only when the save makes the pair complete', () => {
    expect(completesConnections({ shopify: shop, billing: null }, { shopify: shop, billing: bill })).toBe(true);
    expect(completesConnections(null, { shopify: shop, billing: bill })).toBe(true);
    expect(completesConnections({ shopify: shop, billing: bill }, { shopify: shop, billing: bill })).toBe(false);
    expect(completesConnections(null, { shopify: shop, billing: null })).toBe(false);
  });
});
