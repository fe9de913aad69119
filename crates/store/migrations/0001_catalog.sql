-- v1: the catalogue side. Settings and connection descriptors (never credentials: those live in
-- the OS keychain), Shopify variants, the last Shopify levels and billing stock read, sync runs
-- and the stock-change audit trail. Times are UTC RFC 3339 text with nanoseconds (sortable).
PRAGMA application_id = 1347767892; -- 0x50554E54, 'PUNT'

CREATE TABLE settings (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL, -- JSON
    updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE connections (
    kind        TEXT PRIMARY KEY NOT NULL CHECK (kind IN ('shopify', 'smartbill', 'oblio', 'fgo')),
    shop_domain TEXT,
    cif         TEXT,
    warehouse   TEXT,
    location_id INTEGER,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE products (
    variant_id        INTEGER PRIMARY KEY NOT NULL,
    inventory_item_id INTEGER NOT NULL,
    location_id       INTEGER,
    code              TEXT, -- SKU or barcode per the code-source setting; NULL when blank
    sku               TEXT,
    barcode           TEXT,
    title             TEXT NOT NULL,
    tracked           INTEGER NOT NULL CHECK (tracked IN (0, 1)),
    first_seen        TEXT NOT NULL,
    last_seen         TEXT NOT NULL
) STRICT;
CREATE INDEX products_code ON products (code);
CREATE INDEX products_item ON products (inventory_item_id);

CREATE TABLE shopify_levels (
    inventory_item_id INTEGER NOT NULL,
    location_id       INTEGER NOT NULL,
    available         INTEGER NOT NULL,
    read_at           TEXT NOT NULL,
    PRIMARY KEY (inventory_item_id, location_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE sync_runs (
    id               INTEGER PRIMARY KEY,
    started_at       TEXT NOT NULL,
    ended_at         TEXT,
    outcome          TEXT, -- NULL while running
    orders_imported  INTEGER NOT NULL DEFAULT 0,
    products_read    INTEGER NOT NULL DEFAULT 0,
    products_written INTEGER NOT NULL DEFAULT 0,
    findings         INTEGER NOT NULL DEFAULT 0,
    shopify_calls    INTEGER NOT NULL DEFAULT 0,
    billing_calls    INTEGER NOT NULL DEFAULT 0,
    detail           TEXT
) STRICT;
CREATE INDEX sync_runs_started ON sync_runs (started_at);

CREATE TABLE billing_stock (
    code    TEXT PRIMARY KEY NOT NULL,
    name    TEXT NOT NULL,
    stock   TEXT NOT NULL, -- exact decimal
    read_at TEXT NOT NULL,
    run_id  INTEGER REFERENCES sync_runs (id)
) STRICT;

CREATE TABLE stock_audit (
    id                INTEGER PRIMARY KEY,
    at                TEXT NOT NULL,
    code              TEXT NOT NULL,
    inventory_item_id INTEGER,
    qty_before        INTEGER,
    qty_after         INTEGER NOT NULL,
    reason            TEXT NOT NULL,
    source            TEXT NOT NULL,
    run_id            INTEGER REFERENCES sync_runs (id)
) STRICT;
CREATE INDEX stock_audit_at ON stock_audit (at, id);
CREATE INDEX stock_audit_code ON stock_audit (code, at);
