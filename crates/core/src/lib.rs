//! Punte's rules as pure functions and types: reservations, InStock allocation, stock-sync
//! planning, schedules and invoice drafts. No IO, no clock (time is passed in), no tokio,
//! no tauri/reqwest/rusqlite, so every decision the engine makes can be tested exhaustively.

pub mod instock;
pub mod money;
pub mod order;
pub mod plan;
pub mod product;
pub mod reservation;
pub mod schedule;

#[cfg(test)]
mod testkit;
