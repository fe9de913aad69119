import { describe, expect, it } from 'vitest';
import { en } from './en';
import { backendLocale, forms, initialLocale, interpolate, translate, type Text } from './index.svelte';
import { ro } from './ro';

const placeholders = (t: Text) =>
  [...new Set(forms(t).flatMap((s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1])))].sort();

describe('dictionaries', () => {
  it('have the same keys in Romanian and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ro).sort());
  });
  it('have no empty text', () => {
    for (const [key, text] of [...Object.entries(ro), ...Object.entries(en)]) {
      for (const form of forms(text as Text)) expect(form.trim(), key).not.toBe('');
    }
  });
  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(ro) as (keyof typeof ro)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(ro[key]));
    }
  });
});

describe('plural forms', () => {
  it('follow Romanian grammar: 1 produs, 2 produse, 20 de produse', () => {
    expect(translate('ro', 'count.productsWritten', { n: 1 })).toBe('1 produs scris');
    expect(translate('ro', 'count.productsWritten', { n: 2 })).toBe('2 produse scrise');
    expect(translate('ro', 'count.productsWritten', { n: 19 })).toBe('19 produse scrise');
    expect(translate('ro', 'count.productsWritten', { n: 20 })).toBe('20 de produse scrise');
    expect(translate('ro', 'count.productsWritten', { n: 101 })).toBe('101 produse scrise');
    expect(translate('ro', 'count.productsWritten', { n: 0 })).toBe('0 produse scrise');
    expect(translate('ro', 'stock.seen', { n: 1, at: 'azi' })).toBe('văzută o dată, ultima dată azi');
    expect(translate('ro', 'stock.seen', { n: 3, at: 'azi' })).toBe('văzută de 3 ori, ultima dată azi');
    expect(translate('ro', 'stock.seen', { n: 21, at: 'azi' })).toBe('văzută de 21 de ori, ultima dată azi');
  });
  it('and English grammar', () => {
    expect(translate('en', 'count.ordersImported', { n: 1 })).toBe('1 order imported');
    expect(translate('en', 'count.ordersImported', { n: 3 })).toBe('3 orders imported');
    expect(translate('en', 'stock.seen', { n: 1, at: 'today' })).toBe('seen once, last today');
  });
});

describe('locale choice', () => {
  it('prefers a saved choice, then the browser language', () => {
    expect(initialLocale('en', 'ro-RO')).toBe('en');
    expect(initialLocale(null, 'ro-RO')).toBe('ro');
    expect(initialLocale(null, 'de-DE')).toBe('en');
    expect(initialLocale('xx', undefined)).toBe('en');
  });
  it('takes the backend: the saved choice, else the OS language', () => {
    expect(backendLocale({ saved: 'en', os: 'ro' })).toBe('en');
    expect(backendLocale({ saved: null, os: 'ro' })).toBe('ro');
    expect(backendLocale({ saved: null, os: null })).toBeNull();
  });
});

describe('interpolate', () => {
  it('fills known placeholders and keeps unknown ones visible', () => {
    expect(interpolate('{n} of {m}', { n: 3 })).toBe('3 of {m}');
    expect(translate('ro', 'orders.selected', { n: 2 })).toBe('2 selectate');
    expect(translate('en', 'orders.selected', { n: 2 })).toBe('2 selected');
  });
});
