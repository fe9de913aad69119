import { describe, expect, it } from 'vitest';
import { en } from './en';
import { initialLocale, interpolate, translate } from './index.svelte';
import { ro } from './ro';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it('have the same keys in Romanian and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ro).sort());
  });
  it('have no empty text', () => {
    for (const [key, text] of [...Object.entries(ro), ...Object.entries(en)]) {
      expect(text.trim(), key).not.toBe('');
    }
  });
  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(ro) as (keyof typeof ro)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(ro[key]));
    }
  });
});

describe('locale choice', () => {
  it('prefers a saved choice, then the browser language', () => {
    expect(initialLocale('en', 'ro-RO')).toBe('en');
    expect(initialLocale(null, 'ro-RO')).toBe('ro');
    expect(initialLocale(null, 'de-DE')).toBe('en');
    expect(initialLocale('xx', undefined)).toBe('en');
  });
});

describe('interpolate', () => {
  it('fills known placeholders and keeps unknown ones visible', () => {
    expect(interpolate('{n} of {m}', { n: 3 })).toBe('3 of {m}');
    expect(translate('ro', 'orders.selected', { n: 2 })).toBe('2 selectate');
    expect(translate('en', 'orders.selected', { n: 2 })).toBe('2 selected');
  });
});
