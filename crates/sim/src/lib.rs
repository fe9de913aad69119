//! Loopback simulators of Shopify, SmartBill, Oblio and FGO with a control API and a demo shop, so
//! tests and a new user never need a real account or a real host.
