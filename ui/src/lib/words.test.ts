import { afterEach, describe, expect, it } from 'vitest';
import { setLocale } from './i18n/index.svelte';
import {
  auditReason,
  errorText,
  findingFix,
  historyReason,
  pickLanguage,
  quietLooksText,
  runNoticeText,
  shortfallSentence,
  sourceWord,
  visibleCode,
} from './words';

afterEach(() => setLocale('en', false));

const two = { code: 'PT-CANA', needed: 1, available: 5, left: 0, takers: ['#1002', '#1003'], takers_total: 2 };

describe('InStock sentence', () => {
  it('names the older orders that took the stock, in English and Romanian', () => {
    setLocale('en', false);
    expect(shortfallSentence(two)).toBe('needs 1 × PT-CANA; 5 available, orders #1002 and #1003, older, took them');
    setLocale('ro', false);
    expect(shortfallSentence(two)).toBe('trebuie 1 × PT-CANA; 5 disponibile, comenzile #1002 și #1003, mai vechi, le-au luat');
  });
  it('says what is left, how many more took it, and when nothing was there', () => {
    setLocale('en', false);
    const many = { ...two, needed: 3, left: 2, takers: ['#1', '#2', '#3', '#4', '#5'], takers_total: 9 };
    expect(shortfallSentence(many)).toBe(
      'needs 3 × PT-CANA; 5 available, orders #1, #2, #3, #4, #5 and 4 more, older, took them; 2 left',
    );
    expect(shortfallSentence({ ...two, available: 0, takers: [], takers_total: 0 })).toBe('needs 1 × PT-CANA; only 0 available');
    setLocale('ro', false);
    expect(shortfallSentence({ ...two, takers: ['#1002'], takers_total: 1, left: 1 })).toBe(
      'trebuie 1 × PT-CANA; 5 disponibile, comanda #1002, mai veche, le-a luat; a rămas 1',
    );
  });
});

describe('backend codes in words', () => {
  it('words history reasons, new codes and old English rows alike', () => {
    setLocale('ro', false);
    expect(historyReason('imported')).toBe('importată din Shopify');
    expect(historyReason('imported from Shopify')).toBe('importată din Shopify');
    expect(historyReason('{"code":"invoice_issued","invoice":"FCT 12"}')).toBe('factura FCT 12 emisă');
    expect(historyReason('invoice FCT 12 issued')).toBe('factura FCT 12 emisă');
    expect(sourceWord('sync')).toBe('sincronizare');
    expect(auditReason('target')).toBe('stoc facturare − rezervat − rezervă');
    expect(auditReason('billing − reserved − buffer')).toBe('stoc facturare − rezervat − rezervă');
  });
  it('shows an error in the window language', () => {
    const e = { code: 'engine.already_dispatched', message: 'Deja / Already', params: { ro: 'Deja', en: 'Already' } };
    expect(errorText(e, 'ro')).toBe('Deja');
    expect(errorText(e, 'en')).toBe('Already');
    expect(errorText({ code: 'x', message: 'Unu / One' }, 'ro')).toBe('Unu');
    expect(pickLanguage('Shopify: A 1 → 2', 'ro')).toBe('Shopify: A 1 → 2');
  });
  it('words what to do about a finding from its parameters', () => {
    setLocale('ro', false);
    const drift = { kind: 'shopify_drift', code: 'PT-1', detail: '{"read":50,"expected":10,"down":0,"up":0}', what_to_fix: 'English' };
    expect(findingFix(drift)).toContain('Shopify arăta 50 pentru PT-1, Punte aștepta 10');
    const below = { kind: 'target_below_zero', code: 'PT-1', detail: '{"kind":"target_below_zero","code":"PT-1","billing":1,"reserved":2,"buffer":0,"target":-1}', what_to_fix: 'x' };
    expect(findingFix(below)).toContain('Facturare 1 − rezervat 2 − rezervă 0 = -1');
  });
  it('marks invisible spaces and names the Unicode forms of two look-alike codes', () => {
    expect(visibleCode('PT-1 ')).toBe('PT-1␣');
    setLocale('en', false);
    const near = {
      kind: 'code_near_match',
      code: 'ĂLA',
      detail: JSON.stringify({
        shopify: { code: 'ĂLA ', leading_spaces: 0, trailing_spaces: 1, form: 'NFD' },
        billing: { code: 'ĂLA', leading_spaces: 0, trailing_spaces: 0, form: 'NFC' },
      }),
      what_to_fix: 'x',
    };
    const text = findingFix(near);
    expect(text).toContain('the Shopify code ends with a space');
    expect(text).toContain('NFD');
    expect(text).toContain('NFC');
  });
});

describe('Sync now notice', () => {
  it('says "finished" only for a run that ran, and why nothing was written otherwise', () => {
    setLocale('en', false);
    expect(runNoticeText({ outcome: 'ok' }, 2, 3)).toBe('Sync finished: 2 products written, 3 orders imported');
    const held = runNoticeText({ outcome: 'awaiting_confirmation', changing: 7, in_scope: 7 }, 0, 0);
    expect(held).toContain('Nothing written yet: 7 of 7 products');
    expect(held).not.toContain('finished');
    expect(runNoticeText({ outcome: 'halted', reason: 'billing_empty' }, 0, 0)).toMatch(/^Sync stopped, nothing written: /);
    expect(runNoticeText({ outcome: 'failed', error: { code: 'x', message: 'Căzut / Down' } }, 0, 0)).toBe('Sync failed: Down');
    setLocale('ro', false);
    expect(runNoticeText({ outcome: 'awaiting_confirmation', changing: 7, in_scope: 7 }, 0, 0)).toContain(
      'Nimic scris încă: 7 din 7 produse',
    );
    expect(runNoticeText({ outcome: 'failed', error: { code: 'x', message: 'Căzut / Down' } }, 0, 0)).toBe(
      'Sincronizarea a eșuat: Căzut',
    );
  });
});

describe('quiet looks in History (issue 19)', () => {
  it('counts the looks a quiet row holds, and says nothing for other runs', () => {
    setLocale('en', false);
    expect(quietLooksText('{"outcome":"ok","quiet_looks":1}')).toBe('1 look, nothing changed');
    expect(quietLooksText('{"outcome":"ok","quiet_looks":42}')).toBe('42 looks, nothing changed');
    expect(quietLooksText('{"outcome":"ok"}')).toBe('');
    expect(quietLooksText(null)).toBe('');
    setLocale('ro', false);
    expect(quietLooksText('{"outcome":"ok","quiet_looks":3}')).toBe('3 verificări, nimic schimbat');
    expect(quietLooksText('{"outcome":"ok","quiet_looks":42}')).toBe('42 de verificări, nimic schimbat');
  });
});
