-- v6 (issue 18): several Shopify locations mapped to billing warehouses, Shopify's bundles and
-- the merchant's kits. Additive only. Rows here name order lines by id without a foreign key:
-- an import may replace an order's lines, and queries join on the lines that exist.

-- Kits: a Shopify SKU billing does not stock, made of billing codes. Reservations and invoices
-- of a kit line count its components (see `reservations`).
CREATE TABLE kits (
    code       TEXT PRIMARY KEY NOT NULL,
    title      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE kit_components (
    kit       TEXT NOT NULL REFERENCES kits (code),
    position  INTEGER NOT NULL,
    component TEXT NOT NULL,
    quantity  INTEGER NOT NULL CHECK (quantity >= 1),
    PRIMARY KEY (kit, component)
) STRICT, WITHOUT ROWID;
CREATE INDEX kit_components_component ON kit_components (component);

-- Where Shopify assigned each order line (its fulfillment orders' locations), in units.
CREATE TABLE order_line_locations (
    line_id     INTEGER NOT NULL,
    order_id    INTEGER NOT NULL REFERENCES orders (id),
    location_id INTEGER NOT NULL,
    quantity    INTEGER NOT NULL CHECK (quantity >= 0),
    PRIMARY KEY (line_id, location_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX order_line_locations_order ON order_line_locations (order_id);

-- The Shopify bundle (lineItemGroup) a component line was sold in.
CREATE TABLE order_line_groups (
    line_id  INTEGER PRIMARY KEY NOT NULL,
    order_id INTEGER NOT NULL REFERENCES orders (id),
    group_id INTEGER NOT NULL,
    title    TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    sku      TEXT
) STRICT;
CREATE INDEX order_line_groups_order ON order_line_groups (order_id);

-- Shopify bundle parents (variants that require components) and their components.
CREATE TABLE bundle_components (
    parent_variant_id    INTEGER NOT NULL,
    position             INTEGER NOT NULL,
    component_variant_id INTEGER NOT NULL,
    quantity             INTEGER NOT NULL CHECK (quantity >= 1),
    PRIMARY KEY (parent_variant_id, component_variant_id)
) STRICT, WITHOUT ROWID;

-- Billing stock per warehouse when several are mapped (billing_stock keeps the sum per code).
CREATE TABLE warehouse_stock (
    warehouse TEXT NOT NULL,
    code      TEXT NOT NULL,
    stock     TEXT NOT NULL, -- exact decimal
    read_at   TEXT NOT NULL,
    PRIMARY KEY (warehouse, code)
) STRICT, WITHOUT ROWID;

-- The location a stock write went to (several mapped); NULL: the connection's one location.
ALTER TABLE stock_audit ADD COLUMN location_id INTEGER;
