// Words for what the backend sends as codes and parameters: errors, findings and what to do about
// them, order history reasons and sources, audit reasons, halt reasons, InStock explanations.
// Each reads the current locale through t(), so a text shown in a template follows a language
// switch. Unknown codes (older rows, another version) fall back to the backend's own text.
import { has, locale, t, type MessageKey } from './i18n/index.svelte';
import type { Locale } from './format';
import type { Outcome } from './types';

/** An error as commands send it: `params.ro` / `params.en` hold its two languages. */
export interface Worded {
  code: string;
  message: string;
  params?: Record<string, string> | null;
}

/** The error's sentence in `l` (default: the current locale). */
export function errorText(e: Worded, l: Locale = locale()): string {
  return e.params?.[l] ?? pickLanguage(e.message, l);
}

/** The half of a "ro / en" text for `l`; a text without exactly one separator as it is. */
export function pickLanguage(text: string, l: Locale = locale()): string {
  const parts = text.split(' / ');
  if (parts.length !== 2) return text;
  return (l === 'ro' ? parts[0] : parts[1])?.trim() ?? text;
}

/** Spaces at either end of a code made visible ("PT-1␣"), so two codes that look alike differ. */
export function visibleCode(code: string): string {
  const lead = /^\s*/.exec(code)?.[0].length ?? 0;
  const trail = /\s*$/.exec(code)?.[0].length ?? 0;
  if (lead === 0 && trail === 0) return code;
  return '␣'.repeat(lead) + code.trim() + '␣'.repeat(trail);
}

function detail(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** The name of a finding kind. */
export function findingTitle(kind: string): string {
  const key = `finding.${kind}`;
  return has(key) ? t(key) : t('finding.other');
}

/** A list of names: "A", "A și B", "A, B, C și încă 4". */
export function nameList(names: string[], total = names.length): string {
  const more = total - names.length;
  const and = t('list.and');
  if (names.length === 0) return '';
  if (more > 0) return `${names.join(', ')} ${and} ${t('list.more', { n: more })}`;
  if (names.length === 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} ${and} ${names[names.length - 1]}`;
}

/** Why a run halted, from the plan's HaltReason (`{reason, …}`). */
export function haltText(reason: Record<string, unknown>): string {
  switch (reason.reason) {
    case 'billing_empty':
      return t('halt.billing_empty');
    case 'billing_shrank':
      return t('halt.billing_shrank', { products: str(reason.products), previously: str(reason.previously) });
    default:
      return t('halt.billing_read_failed');
  }
}

interface Side {
  code: string;
  leading_spaces: number;
  trailing_spaces: number;
  form: string;
}

/** What differs between two codes that look the same, in words. */
export function nearMatchText(d: Record<string, unknown>): string {
  const sides = [
    ['shopify', d.shopify as Side | undefined],
    ['billing', d.billing as Side | undefined],
  ] as const;
  const what: string[] = [];
  for (const [name, side] of sides) {
    if (!side) continue;
    const where = t(`near.side.${name}`);
    if (side.leading_spaces > 0) what.push(t('near.leading', { n: side.leading_spaces, side: where }));
    if (side.trailing_spaces > 0) what.push(t('near.trailing', { n: side.trailing_spaces, side: where }));
  }
  const [s, b] = [sides[0][1], sides[1][1]];
  if (s && b && s.form !== b.form) {
    const form = (f: string) => (has(`near.form.${f}`) ? t(`near.form.${f}` as MessageKey) : f);
    what.push(t('near.form', { shopify: form(s.form), billing: form(b.form) }));
  }
  return t('fix.code_near_match', { what: what.join('; ') });
}

/** Shopify's withheld field names ("email", "billingAddress") as the kinds of data, in words. */
function withheldFields(fields: unknown): string {
  const kinds: string[] = [];
  for (const f of Array.isArray(fields) ? fields.map(String) : []) {
    const kind = ['firstName', 'lastName', 'displayName', 'name'].includes(f) ? 'names'
      : ['email', 'defaultEmailAddress', 'emailAddress'].includes(f) ? 'emails'
      : f === 'phone' ? 'phones'
      : ['billingAddress', 'shippingAddress'].includes(f) ? 'addresses'
      : null;
    if (kind && !kinds.includes(kind)) kinds.push(kind);
  }
  return kinds.length === 0 ? t('withheld.other') : nameList(kinds.map((k) => t(`withheld.${k}` as MessageKey)));
}

/** What to do about a finding, from its kind and its parameters (`detail`). */
export function findingFix(f: { kind: string; code: string | null; detail: string | null; what_to_fix: string }): string {
  const d = detail(f.detail);
  const code = visibleCode(f.code ?? str(d.code));
  switch (f.kind) {
    case 'variant_without_code':
      return t('fix.variant_without_code', { title: str(d.title) });
    case 'fractional_billing_stock':
      return t('fix.fractional_billing_stock', { code, used: str(d.used) });
    case 'target_below_zero':
      return t('fix.target_below_zero', {
        code, billing: str(d.billing), reserved: str(d.reserved), buffer: str(d.buffer), target: str(d.target),
      });
    case 'shopify_drift': {
      const [read, low, high] = [Number(d.read), Number(d.expected) - Number(d.down ?? 0), Number(d.expected) + Number(d.up ?? 0)];
      const expected = low === high ? String(low) : `${low}–${high}`;
      return t('fix.shopify_drift', { code, read: str(Number.isNaN(read) ? '' : read), expected });
    }
    case 'sync_halted':
      return t('fix.sync_halted', { reason: haltText(d) });
    case 'code_near_match':
      return nearMatchText(d);
    case 'write_failed':
      return t('fix.write_failed', { code, quantity: str(d.quantity), error: str(d.error), message: str(d.message) });
    case 'quantity_too_high':
      return t('fix.quantity_too_high', { code, wanted: str(d.wanted), sent: str(d.sent), max: str(d.max) });
    case 'shopify_customer_data_withheld':
      return t('fix.shopify_customer_data_withheld', { fields: withheldFields(d.fields), message: str(d.message) });
    default: {
      const key = `fix.${f.kind}`;
      return has(key) ? t(key, { code }) : f.what_to_fix;
    }
  }
}

/** The two codes of a near match, with invisible differences marked. */
export function nearPair(d: string | null): string | null {
  const v = detail(d);
  const s = v.shopify as Side | undefined;
  const b = v.billing as Side | undefined;
  if (!s || !b) return null;
  return t('near.pair', { shopify: visibleCode(s.code), billing: visibleCode(b.code) });
}

/** An order history reason: a code, a JSON object with its code and parameters, or (older
 *  rows) the English text it used to be. */
export function historyReason(reason: string): string {
  let code = reason;
  let params: Record<string, string> = {};
  if (reason.startsWith('{')) {
    const d = detail(reason);
    code = str(d.code);
    params = Object.fromEntries(Object.entries(d).map(([k, v]) => [k, str(v)]));
  } else {
    const legacy: Record<string, string> = {
      'imported from Shopify': 'imported',
      'marked dispatched': 'marked_dispatched',
      'imported from Shopify: test order: never reserves stock': 'imported_test_order',
      'imported from Shopify: closed, or fulfilled and paid, before Punte was connected': 'imported_handled_before',
    };
    const issued = /^invoice (.+) issued$/.exec(reason);
    if (issued) [code, params] = ['invoice_issued', { invoice: issued[1] ?? '' }];
    else code = legacy[reason] ?? reason;
  }
  const key = `history.${code}`;
  return has(key) ? t(key, params) : reason;
}

/** Who or what made a change ("sync", "merchant", "outbox", "manual", "demo"). */
export function sourceWord(source: string): string {
  const key = `source.${source}`;
  return has(key) ? t(key) : source;
}

/** Why Punte wrote a stock level (audit trail). */
export function auditReason(reason: string): string {
  if (reason === 'target' || reason === 'billing − reserved − buffer') return t('audit.reason.target');
  if (reason === 'target_settled' || reason.startsWith("billing − reserved − buffer (Shopify's answer was lost"))
    return t('audit.reason.target_settled');
  return reason;
}

/** A History row that holds a stretch of quiet looks (nothing imported, nothing written): how
 *  many, in words; '' for any other run. */
export function quietLooksText(detailText: string | null): string {
  const n = detail(detailText).quiet_looks;
  return typeof n === 'number' && n > 0 ? t('run.quietLooks', { n }) : '';
}

/** The tooltip of a finished run: why it failed or halted. */
export function outcomeTitle(detailText: string | null): string {
  const d = detail(detailText);
  if (d.outcome === 'failed') {
    const error = d.error as Worded | undefined;
    return error ? t('run.failedCode', { code: error.code }) : '';
  }
  if (d.outcome === 'halted') return haltText(detail(str(d.reason)));
  return '';
}

/** An InStock shortfall as a sentence: "needs 1 × PT-CANA; 5 available, orders #1002 and
 *  #1003, older, took them" ("trebuie 1 × PT-CANA; 5 disponibile, comenzile #1002 și #1003, mai
 *  vechi, le-au luat"), with what is left when something is. */
export function shortfallSentence(s: {
  code: string;
  needed: number;
  available: number;
  left: number;
  takers: string[];
  takers_total: number;
}): string {
  const needs = t('instock.needs', { needed: s.needed, code: visibleCode(s.code) });
  if (s.takers_total === 0) return `${needs}; ${t('instock.onlyAvailable', { n: s.available })}`;
  const orders = s.takers.length > 0 ? nameList(s.takers, s.takers_total) : String(s.takers_total);
  const took = t(s.takers_total === 1 ? 'instock.tookOne' : 'instock.tookMany', { orders });
  const sentence = t('detail.shortfall', { needs, available: t('instock.available', { n: s.available }), took });
  return s.left > 0 ? `${sentence}; ${t('instock.left', { n: s.left })}` : sentence;
}

/** The status bar's sentence for a finished Sync now: what it wrote when it ran, and otherwise
 *  why it did not (held for confirmation, halted, failed) — never "finished" for a run that
 *  stopped before writing. */
export function runNoticeText(outcome: Outcome, written: number, orders: number): string {
  const counts = {
    written: t('count.productsWritten', { n: written }),
    orders: t('count.ordersImported', { n: orders }),
  };
  switch (outcome.outcome) {
    case 'ok':
      return t('status.runDone', counts);
    case 'partial':
      return t('status.runPartial', counts);
    case 'awaiting_confirmation':
      return t('status.runAwaiting', { changing: outcome.changing, n: outcome.in_scope, orders: counts.orders });
    case 'halted':
      return t('status.runHalted', { reason: haltText(outcome as unknown as Record<string, unknown>) });
    case 'failed':
      return t('status.runFailed', { error: errorText(outcome.error) });
  }
}
