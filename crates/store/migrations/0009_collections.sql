-- v9 (issue 17): cash on delivery. What Shopify last said of each order's payment and
-- fulfilment (the unpaid cash-on-delivery list reads it), and the collection outbox: one row
-- per order, written before the billing call, so a collection is recorded on its invoice
-- exactly once (a lost answer is settled by reading what the invoice shows paid).
CREATE TABLE order_payment (
    order_id           INTEGER PRIMARY KEY NOT NULL REFERENCES orders (id),
    cash_on_delivery   INTEGER NOT NULL CHECK (cash_on_delivery IN (0, 1)),
    financial_status   TEXT,
    fulfillment_status TEXT NOT NULL,
    fulfilled_at       TEXT, -- UTC: Shopify's updatedAt when Punte first saw it FULFILLED
    paid_at            TEXT, -- UTC: Shopify's updatedAt when Punte first saw it paid
    updated_at         TEXT NOT NULL
) STRICT;
CREATE INDEX order_payment_unpaid ON order_payment (fulfilled_at)
    WHERE cash_on_delivery = 1 AND paid_at IS NULL;

CREATE TABLE collection_outbox (
    order_id     INTEGER PRIMARY KEY NOT NULL REFERENCES orders (id),
    source       TEXT NOT NULL CHECK (source IN ('shopify', 'merchant')),
    state        TEXT NOT NULL
        CHECK (state IN ('intent', 'sent', 'confirmed', 'needs_review')),
    collected_on TEXT NOT NULL, -- yyyy-mm-dd, Europe/Bucharest
    series       TEXT,          -- the invoice the collection was sent for
    number       TEXT,
    amount       TEXT,          -- exact decimal, with VAT
    error        TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX collection_outbox_pending ON collection_outbox (state)
    WHERE state IN ('intent', 'sent', 'needs_review');
