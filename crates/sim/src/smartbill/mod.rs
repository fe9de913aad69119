//! The SmartBill Cloud v1 simulator.
use crate::server::{Built, Credentials};
use crate::{SimClock, SimOptions};

pub fn build(_options: &SimOptions, _clock: SimClock) -> Built {
    Built {
        router: axum::Router::new(),
        credentials: Credentials::default(),
        base_path: "/SBORO/api",
        dump: std::sync::Arc::new(|| serde_json::Value::Null),
    }
}
