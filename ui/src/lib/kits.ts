// Pure logic of the kit editor (issue 18): a kit is a Shopify SKU made of billing codes ×
// quantities. What is wrong with a draft before it is sent (the backend checks again, and also
// that every code is in billing), and the kit it saves (trimmed; blank rows dropped).
import type { MessageKey } from './i18n/index.svelte';
import type { Kit } from './types-locations';

export interface KitProblem {
  field: string;
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** The kit to send: trimmed codes, fully blank component rows left out. */
export function cleanKit(draft: Kit): Kit {
  return {
    code: draft.code.trim(),
    title: draft.title.trim(),
    components: draft.components
      .map((c) => ({ code: c.code.trim(), quantity: c.quantity }))
      .filter((c) => c.code !== '' || (c.quantity !== null && String(c.quantity) !== '')),
  };
}

/** Problems of a kit against the other kits (`others`: every saved kit but this one). */
export function kitProblems(draft: Kit, others: Kit[]): KitProblem[] {
  const kit = cleanKit(draft);
  const problems: KitProblem[] = [];
  if (!kit.code) problems.push({ field: 'code', key: 'kit.err.code' });
  const outer = others.find((k) => k.components.some((c) => c.code === kit.code));
  if (kit.code && outer) problems.push({ field: 'code', key: 'kit.err.inKit', params: { kit: outer.code } });
  if (kit.code && others.some((k) => k.code === kit.code)) problems.push({ field: 'code', key: 'kit.err.taken' });
  if (kit.components.length === 0) problems.push({ field: 'components', key: 'kit.err.empty' });
  const seen = new Set<string>();
  kit.components.forEach((c, i) => {
    const field = `components.${i}`;
    if (!c.code) problems.push({ field, key: 'kit.err.noCode' });
    else if (c.code === kit.code) problems.push({ field, key: 'kit.err.itself' });
    else if (others.some((k) => k.code === c.code)) problems.push({ field, key: 'kit.err.nested', params: { code: c.code } });
    else if (seen.has(c.code)) problems.push({ field, key: 'kit.err.twice', params: { code: c.code } });
    if (!Number.isInteger(c.quantity) || c.quantity < 1 || c.quantity > 10000) problems.push({ field, key: 'kit.err.quantity' });
    seen.add(c.code);
  });
  return problems;
}

/** An empty kit to start from. */
export const newKit = (): Kit => ({ code: '', title: '', components: [{ code: '', quantity: 1 }] });
