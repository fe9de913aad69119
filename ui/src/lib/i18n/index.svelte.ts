// The UI language: the merchant's choice (kept in localStorage and in the backend's profile, so
// system notifications speak it too), else the operating system's language as the backend reads
// it, else navigator.language. `t()` reads the reactive locale, so every text re-renders on a
// switch. A text may have plural forms ({one, few, other}), chosen by Intl.PluralRules from the
// `n` parameter: Romanian says "1 produs", "2 produse", "20 de produse".
import type { Locale } from '../format';
import { en } from './en';
import { ro, type MessageKey } from './ro';

export type { MessageKey };
export const STORAGE_KEY = 'punte.locale';

/** Plural forms of a text; `few` is Romanian's 2–19 form ("2 produse"), `other` its "de" form. */
export interface Plural {
  one: string;
  few?: string;
  other: string;
}
export type Text = string | Plural;
export type Params = Record<string, string | number>;

const dictionaries: Record<Locale, Record<MessageKey, Text>> = { ro, en };
const rules: Record<Locale, Intl.PluralRules> = {
  ro: new Intl.PluralRules('ro-RO'),
  en: new Intl.PluralRules('en-GB'),
};

/** The starting locale: a saved choice, else Romanian for "ro*" browsers, else English. */
export function initialLocale(saved: string | null, language: string | undefined): Locale {
  if (saved === 'ro' || saved === 'en') return saved;
  return (language ?? '').toLowerCase().startsWith('ro') ? 'ro' : 'en';
}

/** The locale from what the backend knows: the saved choice, else the OS language, else null. */
export function backendLocale(view: { saved: string | null; os: string | null }): Locale | null {
  for (const l of [view.saved, view.os]) if (l === 'ro' || l === 'en') return l;
  return null;
}

export function readSaved(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

const state = $state<{ locale: Locale }>({
  locale: initialLocale(readSaved(), globalThis.navigator?.language),
});

export function locale(): Locale {
  return state.locale;
}

/** Shows `next`; with `remember`, the merchant chose it and it is kept for the next start. */
export function setLocale(next: Locale, remember = true): void {
  state.locale = next;
  if (remember) {
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, next);
    } catch {
      // Private mode: the choice lasts for this session only.
    }
  }
  if (globalThis.document) document.documentElement.lang = next;
}

/** Fills {name} placeholders; an unknown placeholder stays visible rather than vanishing. */
export function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The form of `text` for the count `n` in locale `l`. */
export function pluralForm(l: Locale, text: Text, n: number): string {
  if (typeof text === 'string') return text;
  const category = rules[l].select(n);
  if (category === 'one') return text.one;
  if (category === 'few') return text.few ?? text.other;
  return text.other;
}

export function translate(l: Locale, key: MessageKey, params?: Params): string {
  const n = Number(params?.n ?? 0);
  return interpolate(pluralForm(l, dictionaries[l][key], n), params);
}

/** The text for `key` in the current locale (plural forms chosen by `params.n`). */
export function t(key: MessageKey, params?: Params): string {
  return translate(state.locale, key, params);
}

/** Whether the dictionaries have `key` (for words built from backend codes). */
export function has(key: string): key is MessageKey {
  return key in ro;
}

/** Every form of a text, for checks that look at all of them. */
export function forms(text: Text): string[] {
  return typeof text === 'string' ? [text] : [text.one, text.few ?? text.other, text.other];
}

export { dictionaries };
