//! Punte's rules as pure functions and types: reservations, InStock allocation, stock-sync
//! planning, schedules and invoice drafts. No IO, no clock (time is passed in), no tokio,
//! no tauri/reqwest/rusqlite, so every decision the engine makes can be tested exhaustively.
//!
//! Flow of one stock cycle: [`matching::match_products`] pairs Shopify variants with billing
//! products; [`reservation::Reservations`] sums what open [`order::Order`]s hold;
//! [`plan::plan_sync`] decides the writes; [`instock::allocate`] tells which orders can ship;
//! [`schedule`] says when each job runs; [`invoice::draft_invoice`] turns an order into an
//! invoice. Before the first sync, [`health::health_check`] shows the matching to the merchant.

pub mod client;
pub mod health;
pub mod instock;
mod instock_codes;
mod instock_input;
mod instock_report;
mod instock_sort;
mod instock_walk;
pub mod invoice;
pub mod matching;
pub mod money;
pub mod order;
mod order_lifecycle;
pub mod plan;
pub mod product;
pub mod reservation;
pub mod schedule;

#[cfg(test)]
mod testkit;
