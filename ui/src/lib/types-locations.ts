// Mirrors of the issue-18 types: the location ↔ warehouse mapping (core::locations, the shell's
// commands::locations) and the merchant's kits (core::bundles::Kit).

/** core::locations::SplitRule. */
export type SplitRule = 'all_to_first' | 'fixed_shares';

/** core::locations::LocationLink. */
export interface LocationLink {
  location_id: number;
  name: string;
  warehouse: string;
  share_percent: number;
}

/** core::locations::LocationSettings. */
export interface LocationSettings {
  links: LocationLink[];
  split: SplitRule;
}

/** commands::locations::WarehouseChoice (Oblio: work point + warehouse). */
export interface WarehouseChoice {
  id: string;
  work_point: string | null;
  name: string;
}

/** commands::locations::MappingView (the `location_mapping` result). */
export interface MappingView {
  locations: { id: number; name: string }[];
  warehouses: WarehouseChoice[];
  billing: 'smart_bill' | 'oblio' | 'fgo' | null;
  mapping: LocationSettings;
  connection_location: number | null;
  connection_warehouse: string | null;
  /** Shopify's locations no link names: Punte leaves their stock alone. */
  unmapped: number[];
}

/** core::bundles::Component. */
export interface KitComponent {
  code: string;
  quantity: number;
}

/** core::bundles::Kit. */
export interface Kit {
  code: string;
  title: string;
  components: KitComponent[];
}

/** commands::stock_located::LocationCell. */
export interface LocationCell {
  location_id: number;
  name: string;
  available: number | null;
  reserved: number;
}

/** commands::stock_located::BundleCell. */
export interface BundleCell {
  kind: 'kit' | 'shopify';
  available: number | null;
  components: KitComponent[];
}

/** store::LineGroup: the Shopify bundle (`lineItemGroup`) an order line was sold in. */
export interface LineGroup {
  line: number;
  group_id: number;
  /** The bundle's title as sold. */
  title: string;
  /** Bundles ordered. */
  quantity: number;
  sku: string | null;
}
