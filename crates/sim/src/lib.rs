//! Loopback simulators of Shopify, SmartBill, Oblio and FGO with a control API and a demo shop, so
//! tests and a new user never need a real account or a real host.
//!
//! Start one with [`SimServer::start`]; every server binds `127.0.0.1` on an ephemeral port, serves
//! the service's wire API at [`SimServer::base_url`] and a control API under [`CONTROL_PREFIX`].

pub mod clock;
pub mod collects;
pub mod control;
pub mod demo;
mod demo_words;
pub mod fgo;
pub mod oblio;
pub mod observe;
pub mod posted;
pub mod rate;
pub mod redirect;
pub mod server;
pub mod shopify;
pub mod smartbill;
pub mod wire;

pub use clock::SimClock;
pub use observe::{Fault, FaultRule};
pub use server::{Credentials, ServiceKind, SimOptions, SimServer};

/// Path prefix of the control API on every simulator (never part of the real services).
pub const CONTROL_PREFIX: &str = "/_sim";

/// Errors from starting or driving a simulator.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot bind 127.0.0.1: {0}")]
    Bind(#[from] std::io::Error),
    #[error("vendored Shopify schema is invalid: {0}")]
    Schema(String),
}
