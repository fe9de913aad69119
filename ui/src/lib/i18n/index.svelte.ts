// The UI language: follows navigator.language until the merchant picks one, which is kept in
// localStorage. `t()` reads the reactive locale, so every text re-renders on a switch.
import type { Locale } from '../format';
import { en } from './en';
import { ro, type MessageKey } from './ro';

export type { MessageKey };
export const STORAGE_KEY = 'punte.locale';
const dictionaries: Record<Locale, Record<MessageKey, string>> = { ro, en };

/** The starting locale: a saved choice, else Romanian for "ro*" browsers, else English. */
export function initialLocale(saved: string | null, language: string | undefined): Locale {
  if (saved === 'ro' || saved === 'en') return saved;
  return (language ?? '').toLowerCase().startsWith('ro') ? 'ro' : 'en';
}

function readSaved(): string | null {
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

export function setLocale(next: Locale): void {
  state.locale = next;
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, next);
  } catch {
    // Private mode: the choice lasts for this session only.
  }
  if (globalThis.document) document.documentElement.lang = next;
}

/** Fills {name} placeholders; an unknown placeholder stays visible rather than vanishing. */
export function interpolate(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function translate(l: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  return interpolate(dictionaries[l][key], params);
}

/** The text for `key` in the current locale. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(state.locale, key, params);
}

export { dictionaries };
