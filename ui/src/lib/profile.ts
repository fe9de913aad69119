// Pure profile logic: which fields each service asks for, the form sent to test/save (an empty
// secret means "keep the saved one", so it is left out), and the preferences patch (only the
// fields the merchant changed, so saving one never resets another).
import type { ConnectionForm, ConnectionsView, Preferences, PreferencesPatch, ServiceKind } from './types-stock';

export interface ServiceFields {
  plain: string[];
  secrets: string[];
}

/** Fields per service; Shopify's depend on the app type (Dev Dashboard or legacy custom app). */
export function serviceFields(kind: ServiceKind, shopifyAuth: 'dev' | 'legacy' = 'dev'): ServiceFields {
  switch (kind) {
    case 'shopify':
      return shopifyAuth === 'dev'
        ? { plain: ['shop_domain', 'client_id', 'location_id'], secrets: ['client_secret'] }
        : { plain: ['shop_domain', 'location_id'], secrets: ['admin_token'] };
    case 'smart_bill':
      return { plain: ['email', 'cif'], secrets: ['api_token'] };
    case 'oblio':
      return { plain: ['email', 'cif'], secrets: ['api_secret'] };
    case 'fgo':
      return { plain: ['cod_unic', 'cif'], secrets: ['private_key'] };
  }
}

/** The form for test/save: the service's fields only, trimmed; blank secrets left out (= keep). */
export function buildConnectionForm(
  kind: ServiceKind,
  values: Record<string, string>,
  secrets: Record<string, string>,
  shopifyAuth: 'dev' | 'legacy' = 'dev',
): ConnectionForm {
  const spec = serviceFields(kind, shopifyAuth);
  const fields: Record<string, string> = {};
  for (const name of spec.plain) fields[name] = (values[name] ?? '').trim();
  if (kind === 'shopify') fields.auth = shopifyAuth;
  const kept: Record<string, string> = {};
  for (const name of spec.secrets) {
    const v = (secrets[name] ?? '').trim();
    if (v !== '') kept[name] = v;
  }
  return { kind, fields, secrets: kept };
}

/** Fields the backend fills in when left blank (the location: the shop's primary one). */
export const OPTIONAL_FIELDS = ['location_id'];

/** Plain fields left blank that have no saved value to fall back on (shown before any call). */
export function missingFields(form: ConnectionForm, savedSecrets: string[], kind = form.kind): string[] {
  const spec = serviceFields(kind, form.fields.auth === 'legacy' ? 'legacy' : 'dev');
  const missing = spec.plain.filter((n) => !form.fields[n] && !OPTIONAL_FIELDS.includes(n));
  for (const s of spec.secrets) if (!(s in form.secrets) && !savedSecrets.includes(s)) missing.push(s);
  return missing;
}

/** The locations to choose from: the just-tested list, else the saved one, always keeping the
 *  saved choice visible even when it is no longer listed. */
export function locationChoices(
  tested: { id: number; name: string }[] | null,
  saved: { id: number; name: string }[],
  current: string | undefined,
): { id: string; name: string }[] {
  const list = (tested ?? saved).map((l) => ({ id: String(l.id), name: l.name }));
  if (current && !list.some((l) => l.id === current)) list.push({ id: current, name: current });
  return list;
}

/** Whether this save completed the pair (Shopify + billing): the backend then leaves the demo
 *  shop and restarts on the real one, so the whole window must reload its state. */
export function completesConnections(before: ConnectionsView | null, after: ConnectionsView): boolean {
  const complete = (v: ConnectionsView | null) => Boolean(v?.shopify && v?.billing);
  return !complete(before) && complete(after);
}

/** Only the preferences that differ from the saved ones. */
export function diffPreferences(saved: Preferences, edited: Preferences): PreferencesPatch {
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(edited) as (keyof Preferences)[]) {
    if (key === 'available') continue;
    if (JSON.stringify(saved[key]) !== JSON.stringify(edited[key])) patch[key] = edited[key];
  }
  return patch as PreferencesPatch;
}
