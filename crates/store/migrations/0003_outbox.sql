-- v3: the invoice outbox. An intent is written before the billing call (with an idempotency key
-- the billing service sees), so a crash between "sent" and "confirmed" is resolved by asking the
-- service, never by issuing a second invoice.
CREATE TABLE invoice_outbox (
    id              INTEGER PRIMARY KEY,
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    idempotency_key TEXT NOT NULL UNIQUE,
    service         TEXT NOT NULL,
    state           TEXT NOT NULL
        CHECK (state IN ('intent', 'sent', 'confirmed', 'failed', 'needs_review')),
    stock_discharge INTEGER NOT NULL CHECK (stock_discharge IN (0, 1)),
    draft           TEXT NOT NULL, -- JSON, as the engine built it
    series          TEXT,
    number          TEXT,
    link            TEXT,
    error           TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX invoice_outbox_pending ON invoice_outbox (state, id)
    WHERE state IN ('intent', 'sent', 'needs_review');
CREATE INDEX invoice_outbox_order ON invoice_outbox (order_id);
