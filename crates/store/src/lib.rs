//! The local SQLite store (rusqlite, bundled): the only crate that speaks SQL. Orders, reservations,
//! the invoice outbox, sync runs and the stock audit trail live here, so the merchant can review them
//! offline and nothing is lost on a crash.
