// Pure logic of the Locations tab and of the Stock screen's per-location columns (issue 18): the
// editable draft (one row per Shopify location: a warehouse or "not synced", a share), what is
// wrong with it before anything is sent, the mapping it saves, and the columns the Stock table
// adds when two or more locations are mapped.
import type { MessageKey } from './i18n/index.svelte';
import type { LocationSettings, MappingView, SplitRule } from './types-locations';
import type { StockRow } from './types-stock';

export interface MappingRow {
  location_id: number;
  name: string;
  /** '' = not synced: Punte leaves the location's stock alone. */
  warehouse: string;
  share: number;
}
export interface MappingDraft {
  rows: MappingRow[];
  split: SplitRule;
}
export interface Problem {
  field: string;
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** The draft of a saved mapping: mapped locations first, in mapping order, then the rest. */
export function draftFromView(view: MappingView): MappingDraft {
  const rows: MappingRow[] = view.mapping.links.map((l) => ({
    location_id: l.location_id,
    name: view.locations.find((x) => x.id === l.location_id)?.name ?? l.name,
    warehouse: l.warehouse,
    share: l.share_percent,
  }));
  for (const l of view.locations) {
    if (!rows.some((r) => r.location_id === l.id)) rows.push({ location_id: l.id, name: l.name, warehouse: '', share: 0 });
  }
  return { rows, split: view.mapping.split };
}

/** Warehouses chosen by two or more locations (their split rule matters). */
export function sharedWarehouses(draft: MappingDraft): string[] {
  const count = new Map<string, number>();
  for (const r of draft.rows) if (r.warehouse) count.set(r.warehouse, (count.get(r.warehouse) ?? 0) + 1);
  return [...count].filter(([, n]) => n > 1).map(([w]) => w);
}

/** What must be fixed before saving; empty when the draft can be sent. */
export function mappingProblems(draft: MappingDraft): Problem[] {
  const problems: Problem[] = [];
  if (!draft.rows.some((r) => r.warehouse)) problems.push({ field: 'mapping', key: 'loc.err.none' });
  if (draft.split !== 'fixed_shares') return problems;
  for (const r of draft.rows) {
    if (r.warehouse && (!Number.isInteger(r.share) || r.share < 0 || r.share > 100)) {
      problems.push({ field: `location.${r.location_id}`, key: 'loc.err.share' });
    }
  }
  for (const w of sharedWarehouses(draft)) {
    const total = draft.rows.filter((r) => r.warehouse === w).reduce((s, r) => s + (Number(r.share) || 0), 0);
    if (total !== 100) problems.push({ field: 'shares', key: 'loc.err.total', params: { warehouse: w, total } });
  }
  return problems;
}

/** The mapping to save: mapped rows only, in order; a warehouse of one location gets 100 %. */
export function toSettings(draft: MappingDraft): LocationSettings {
  const shared = sharedWarehouses(draft);
  const links = draft.rows
    .filter((r) => r.warehouse)
    .map((r) => ({
      location_id: r.location_id,
      name: r.name,
      warehouse: r.warehouse,
      share_percent: draft.split === 'fixed_shares' ? (shared.includes(r.warehouse) ? r.share : 100) : 0,
    }));
  return { links, split: draft.split };
}

/** Moves row `i` one place up (the first location of a warehouse gets all under "all to first"). */
export function moveUp(draft: MappingDraft, i: number): void {
  if (i <= 0 || i >= draft.rows.length) return;
  const [row] = draft.rows.splice(i, 1);
  if (row) draft.rows.splice(i - 1, 0, row);
}

/** The Stock table's per-location columns: none unless two or more locations are mapped. */
export function locationColumns(rows: StockRow[]): { location_id: number; name: string }[] {
  const cells = rows.find((r) => (r.locations?.length ?? 0) >= 2)?.locations ?? [];
  return cells.map((c) => ({ location_id: c.location_id, name: c.name }));
}
