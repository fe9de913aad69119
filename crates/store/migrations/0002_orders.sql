-- v2: orders as imported (enough to draft an invoice offline), their state history, and R(p).
-- Reservations are kept by triggers in the same transaction as every line or state change, so
-- `reservations` always equals the sum of the lines of reserving orders ('open', 'invoiced_kept').
-- Orders and lines are never deleted (there is no CASCADE that could bypass the triggers).
CREATE TABLE orders (
    id              INTEGER PRIMARY KEY NOT NULL, -- Shopify order id
    name            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    state           TEXT NOT NULL
        CHECK (state IN ('open', 'invoiced', 'invoiced_kept', 'dispatched', 'cancelled')),
    customer_name   TEXT NOT NULL,
    customer_email  TEXT,
    company         TEXT,
    cui             TEXT,
    reg_com         TEXT,
    address         TEXT NOT NULL,
    city            TEXT NOT NULL,
    county          TEXT NOT NULL,
    country         TEXT NOT NULL,
    currency        TEXT NOT NULL,
    taxes_included  INTEGER NOT NULL CHECK (taxes_included IN (0, 1)),
    total           TEXT NOT NULL, -- exact decimal
    line_count      INTEGER NOT NULL, -- written with the lines: a mismatch means a torn write
    in_stock        INTEGER CHECK (in_stock IN (0, 1)), -- NULL: not evaluated
    in_stock_detail TEXT,
    imported_at     TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX orders_state_created ON orders (state, created_at, id);
CREATE INDEX orders_created ON orders (created_at, id);

CREATE TABLE order_lines (
    id         INTEGER PRIMARY KEY NOT NULL, -- Shopify line item id
    order_id   INTEGER NOT NULL REFERENCES orders (id),
    position   INTEGER NOT NULL,
    code       TEXT,
    variant_id INTEGER,
    title      TEXT NOT NULL,
    quantity   INTEGER NOT NULL CHECK (quantity >= 0),
    refunded   INTEGER NOT NULL,
    fulfilled  INTEGER NOT NULL,
    unit_price TEXT NOT NULL,
    discount   TEXT NOT NULL,
    vat_rate   TEXT,
    tax        TEXT NOT NULL, -- Shopify's tax amount for the line
    taxable    INTEGER NOT NULL CHECK (taxable IN (0, 1))
) STRICT;
CREATE INDEX order_lines_order ON order_lines (order_id, position);

CREATE TABLE order_shipping (
    order_id INTEGER NOT NULL REFERENCES orders (id),
    position INTEGER NOT NULL,
    title    TEXT NOT NULL,
    price    TEXT NOT NULL,
    discount TEXT NOT NULL,
    vat_rate TEXT,
    tax      TEXT NOT NULL,
    PRIMARY KEY (order_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE order_history (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL REFERENCES orders (id),
    at         TEXT NOT NULL,
    from_state TEXT, -- NULL when the order was imported
    to_state   TEXT NOT NULL,
    reason     TEXT NOT NULL,
    source     TEXT NOT NULL,
    run_id     INTEGER REFERENCES sync_runs (id)
) STRICT;
CREATE INDEX order_history_order ON order_history (order_id, id);

CREATE TABLE reservations (
    code     TEXT PRIMARY KEY NOT NULL,
    quantity INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TRIGGER lines_reserve_insert AFTER INSERT ON order_lines
WHEN NEW.code IS NOT NULL
 AND (SELECT state FROM orders WHERE id = NEW.order_id) IN ('open', 'invoiced_kept')
BEGIN
    INSERT INTO reservations (code, quantity) VALUES (NEW.code, NEW.quantity)
    ON CONFLICT (code) DO UPDATE SET quantity = quantity + excluded.quantity;
END;

CREATE TRIGGER lines_reserve_delete AFTER DELETE ON order_lines
WHEN OLD.code IS NOT NULL
 AND (SELECT state FROM orders WHERE id = OLD.order_id) IN ('open', 'invoiced_kept')
BEGIN
    UPDATE reservations SET quantity = quantity - OLD.quantity WHERE code = OLD.code;
END;

CREATE TRIGGER lines_reserve_update AFTER UPDATE OF code, quantity, order_id ON order_lines
BEGIN
    UPDATE reservations SET quantity = quantity - OLD.quantity
    WHERE code = OLD.code
      AND (SELECT state FROM orders WHERE id = OLD.order_id) IN ('open', 'invoiced_kept');
    INSERT INTO reservations (code, quantity)
    SELECT NEW.code, NEW.quantity
    WHERE NEW.code IS NOT NULL
      AND (SELECT state FROM orders WHERE id = NEW.order_id) IN ('open', 'invoiced_kept')
    ON CONFLICT (code) DO UPDATE SET quantity = quantity + excluded.quantity;
END;

CREATE TRIGGER orders_reserve_state AFTER UPDATE OF state ON orders
WHEN (OLD.state IN ('open', 'invoiced_kept')) <> (NEW.state IN ('open', 'invoiced_kept'))
BEGIN
    INSERT INTO reservations (code, quantity)
    SELECT code,
           SUM(quantity) * (CASE WHEN NEW.state IN ('open', 'invoiced_kept') THEN 1 ELSE -1 END)
    FROM order_lines
    WHERE order_id = NEW.id AND code IS NOT NULL
    GROUP BY code
    ON CONFLICT (code) DO UPDATE SET quantity = quantity + excluded.quantity;
END;
