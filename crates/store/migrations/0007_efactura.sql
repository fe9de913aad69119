-- v8 (issue 17): each invoice's e-Factura (SPV) state as the billing service last showed it,
-- the Bucharest date it was issued (the five-working-day deadline counts from it), when it was
-- last read, and which notifications were already given (each kind once per invoice).
CREATE TABLE efactura (
    order_id          INTEGER PRIMARY KEY NOT NULL REFERENCES orders (id),
    series            TEXT NOT NULL,
    number            TEXT NOT NULL,
    link              TEXT,
    state             TEXT NOT NULL
        CHECK (state IN ('not_sent', 'in_progress', 'accepted', 'rejected', 'sent_by_service')),
    reason            TEXT,
    service           TEXT,
    issued_on         TEXT NOT NULL, -- yyyy-mm-dd, Europe/Bucharest
    checked_at        TEXT,          -- UTC; NULL: never read
    notified_rejected INTEGER NOT NULL DEFAULT 0 CHECK (notified_rejected IN (0, 1)),
    notified_deadline INTEGER NOT NULL DEFAULT 0 CHECK (notified_deadline IN (0, 1)),
    updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX efactura_state ON efactura (state, order_id);
