//! The schema's history as embedded SQL files, applied by `rusqlite_migration` in one
//! transaction and tracked in `PRAGMA user_version`. Migrations are additive only (new tables,
//! columns, indexes): never edit a released file, add the next one.

use rusqlite_migration::{M, Migrations};

const STEPS: &[M<'static>] = &[
    M::up(include_str!("../migrations/0001_catalog.sql")),
    M::up(include_str!("../migrations/0002_orders.sql")),
    M::up(include_str!("../migrations/0003_outbox.sql")),
    M::up(include_str!("../migrations/0004_findings.sql")),
    M::up(include_str!("../migrations/0005_order_revisions.sql")),
    M::up(include_str!("../migrations/0006_locations_bundles.sql")),
    M::up(include_str!("../migrations/0007_efactura.sql")),
    M::up(include_str!("../migrations/0008_refunds.sql")),
    M::up(include_str!("../migrations/0009_collections.sql")),
];

/// The schema version this build writes; a file with a higher `user_version` is refused.
pub const LATEST_VERSION: usize = STEPS.len();

/// `PRAGMA application_id` of a Punte database ('PUNT'), set by the first migration.
pub const APPLICATION_ID: i64 = 0x5055_4E54;

/// Every migration, in order.
#[must_use]
pub fn migrations() -> Migrations<'static> {
    Migrations::from_slice(STEPS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_apply_to_an_empty_database() {
        super::migrations()
            .validate()
            .expect("every embedded migration must apply cleanly");
    }
}
