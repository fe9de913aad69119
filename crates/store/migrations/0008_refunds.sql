-- v8: Shopify refunds of an order (issue 16), kept by refund id so a re-import never doubles
-- one, and the credit outbox: one credit document per refund, exactly once, like invoices. The
-- intent (with its draft and key) is committed before the billing call; a lost answer is
-- settled by reading the service, never by sending again. A refund the planner found nothing to
-- credit for (all of it was gone before the invoice) is recorded as 'not_needed'; one the API
-- cannot express waits in 'needs_review' with its reason.
CREATE TABLE refunds (
    id         INTEGER PRIMARY KEY NOT NULL, -- Shopify refund id
    order_id   INTEGER NOT NULL REFERENCES orders (id),
    created_at TEXT NOT NULL,
    facts      TEXT NOT NULL, -- JSON: lines (line, quantity, restocked), shipping, amount
    seen_at    TEXT NOT NULL
) STRICT;
CREATE INDEX refunds_order ON refunds (order_id, created_at);

CREATE TABLE credit_outbox (
    id              INTEGER PRIMARY KEY,
    refund_id       INTEGER NOT NULL UNIQUE REFERENCES refunds (id),
    order_id        INTEGER NOT NULL REFERENCES orders (id),
    idempotency_key TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL
        CHECK (state IN ('intent', 'sent', 'confirmed', 'failed', 'needs_review', 'not_needed')),
    draft           TEXT, -- JSON credit draft; NULL when there is nothing to send
    series          TEXT,
    number          TEXT,
    link            TEXT,
    error           TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX credit_outbox_pending ON credit_outbox (state, id)
    WHERE state IN ('intent', 'sent', 'needs_review');
CREATE INDEX credit_outbox_order ON credit_outbox (order_id);
