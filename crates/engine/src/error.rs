//! The engine's error: each variant has a stable `code()` the UI matches on, and serialises as
//! `{code, message}`. Connector and store errors keep their own codes.

use punte_billing::BillingError;
use punte_core::order::OrderId;
use punte_shopify::ShopifyError;
use punte_store::StoreError;
use serde::{Deserialize, Serialize};

use crate::secrets::SecretError;

/// Anything an engine command or job can fail with.
#[derive(Debug, Clone, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Store(#[from] std::sync::Arc<StoreError>),
    #[error(transparent)]
    Shopify(#[from] ShopifyError),
    #[error(transparent)]
    Billing(#[from] BillingError),
    #[error(transparent)]
    Keychain(#[from] SecretError),
    #[error("no credential is saved for {0}; connect the service again")]
    MissingSecret(&'static str),
    #[error("the engine settings are not valid: {0}")]
    Config(String),
    #[error("order {0:?} is not in Punte's list")]
    OrderNotFound(OrderId),
    #[error("order {order:?} cannot be invoiced: {reason}")]
    NotInvoiceable { order: OrderId, reason: String },
    #[error("order {0:?} is already marked Dispatched")]
    AlreadyDispatched(OrderId),
    #[error("order {order:?} cannot be marked Dispatched: {reason}")]
    NotDispatchable { order: OrderId, reason: String },
    #[error("no stock run is waiting for confirmation")]
    NothingToConfirm,
    #[error("order {0:?} has no invoice waiting for review")]
    NotInReview(OrderId),
    /// The merchant's resolution of a reviewed invoice was checked against the billing service
    /// and does not hold; `reason` says why (Romanian / English).
    #[error("{reason}")]
    ResolutionRefused { order: OrderId, reason: String },
    #[error("the engine has stopped")]
    Stopped,
}

impl From<StoreError> for EngineError {
    fn from(e: StoreError) -> Self {
        Self::Store(std::sync::Arc::new(e))
    }
}

impl EngineError {
    /// A stable identifier, never translated.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Store(e) => e.code(),
            Self::Shopify(e) => e.code(),
            Self::Billing(e) => e.code(),
            Self::Keychain(_) => "engine.keychain_unavailable",
            Self::MissingSecret(_) => "engine.missing_secret",
            Self::Config(_) => "engine.invalid_config",
            Self::OrderNotFound(_) => "engine.order_not_found",
            Self::NotInvoiceable { .. } => "engine.not_invoiceable",
            Self::AlreadyDispatched(_) => "engine.already_dispatched",
            Self::NotDispatchable { .. } => "engine.not_dispatchable",
            Self::NothingToConfirm => "engine.nothing_to_confirm",
            Self::NotInReview(_) => "engine.not_in_review",
            Self::ResolutionRefused { .. } => "engine.resolution_refused",
            Self::Stopped => "engine.stopped",
        }
    }

    /// True when the service may answer later (offline, throttled, 5xx): back off and retry.
    #[must_use]
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Shopify(e) => e.is_transient(),
            Self::Billing(e) => e.is_transient(),
            _ => false,
        }
    }

    /// The `{code, message}` pair sent to the UI.
    #[must_use]
    pub fn info(&self) -> ErrorInfo {
        ErrorInfo {
            code: self.code().to_owned(),
            message: self.to_string(),
        }
    }
}

/// An error as the UI sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorInfo {
    pub code: String,
    pub message: String,
}

impl Serialize for EngineError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.info().serialize(s)
    }
}
