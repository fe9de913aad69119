//! Punte's rules as pure functions and types: reservations, InStock allocation, stock-sync
//! planning, schedules and invoice drafts. No IO, no clock (time is passed in), no tokio,
//! no tauri/reqwest/rusqlite, so every decision the engine makes can be tested exhaustively.
//!
//! Flow of one stock cycle: [`matching::match_products`] pairs Shopify variants with billing
//! products; [`reservation::Reservations`] sums what open [`order::Order`]s hold;
//! [`plan::plan_sync`] decides the writes; [`instock::allocate`] tells which orders can ship;
//! [`schedule`] says when each job runs; [`invoice::draft_invoice`] turns an order into an
//! invoice; [`credit_note::plan_credits`] turns its Shopify refunds into credit documents and
//! [`vat_check::check_vat`] holds an invoice whose VAT the billing service would not take, and
//! [`spv_check::check_client`] one whose buyer SPV would refuse.
//! With several Shopify locations mapped to billing warehouses, [`locations`] splits each
//! warehouse's stock between its locations and [`locations_plan::plan_locations`] plans per
//! location; [`bundles`] covers Shopify's bundles and the merchant's kits. Before the first
//! sync, [`health::health_check`] shows the matching to the merchant; [`efactura`] follows each
//! invoice's SPV state and deadline.

pub mod bundles;
pub mod client;
mod credit_lines;
pub mod credit_note;
pub mod efactura;
pub mod health;
pub mod instock;
mod instock_codes;
mod instock_input;
mod instock_input_edit;
mod instock_report;
mod instock_sort;
mod instock_walk;
pub mod invoice;
pub mod invoice_discharge;
mod invoice_lines;
pub mod locations;
pub mod locations_plan;
pub mod matching;
pub mod money;
pub mod order;
mod order_lifecycle;
pub mod plan;
pub mod product;
pub mod reservation;
pub mod schedule;
pub mod spv_check;
pub mod vat_check;

#[cfg(test)]
mod testkit;
