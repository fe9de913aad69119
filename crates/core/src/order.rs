//! Orders imported from Shopify and their lifecycle: Open → Invoiced | Dispatched | Cancelled,
//! with refunds, line edits and fulfilment. The lifecycle decides whether an order still reserves
//! stock, which is what the stock rule and InStock depend on.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::money::{Currency, VatRate};
use crate::product::{ProductCode, VariantId};

/// Shopify's numeric order id; also the tie-break between orders created at the same instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OrderId(pub u64);

/// Shopify's numeric line item id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LineId(pub u64);

/// Where an order is in Punte's lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum OrderState {
    /// Imported and waiting: its lines are reserved.
    Open,
    /// An invoice exists. With stock discharge the billing stock now carries the quantities and
    /// the reservation ends; without it the order keeps reserving until it is marked Dispatched.
    Invoiced { stock_discharged: bool },
    /// Marked dispatched by the merchant: the reservation ends (billing must be discharged
    /// another way, the UI says so).
    Dispatched,
    /// Cancelled: reserves nothing, and nothing more can happen to it.
    Cancelled,
}

/// One line of an order. `quantity` is Shopify's current quantity (after edits and refunds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub id: LineId,
    /// The variant's code at import; `None` for custom items, which never reserve stock.
    pub code: Option<ProductCode>,
    pub variant_id: Option<VariantId>,
    pub title: String,
    pub quantity: i64,
    pub refunded: i64,
    pub fulfilled: i64,
    /// Unit price as Shopify shows it (tax included when the order's prices include tax).
    pub unit_price: Decimal,
    /// Total discount allocated to this line, for its current quantity.
    pub discount: Decimal,
    /// Shopify's tax rate for the line, if it has one.
    pub vat_rate: Option<VatRate>,
    /// Shopify's tax amount for the line; only added on top when prices exclude tax.
    pub tax: Decimal,
    pub taxable: bool,
}

/// A shipping line, invoiced as a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingLine {
    pub title: String,
    pub price: Decimal,
    pub discount: Decimal,
    pub vat_rate: Option<VatRate>,
    /// Shopify's tax amount; only added on top when prices exclude tax.
    pub tax: Decimal,
}

/// The buyer as Shopify knows them; a company CUI comes from the billing address or a note field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub name: String,
    pub email: Option<String>,
    pub company: Option<String>,
    pub cui: Option<String>,
    pub reg_com: Option<String>,
    pub address: String,
    pub city: String,
    pub county: String,
    pub country: String,
}

/// An order as Punte stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: OrderId,
    /// Shopify's display name, e.g. "#1001".
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub state: OrderState,
    pub lines: Vec<OrderLine>,
    pub shipping: Vec<ShippingLine>,
    pub customer: Customer,
    pub currency: Currency,
    /// Shopify's "All prices include tax".
    pub taxes_included: bool,
    /// Shopify's current total price, what the invoice must add up to.
    pub total: Decimal,
}

/// Something that happens to an order after import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum OrderEvent {
    Invoiced {
        stock_discharged: bool,
    },
    /// Ends the reservation. If the order still reserved stock ([`Order::reserves_stock`]), its
    /// quantities go back to Shopify's available at the next sync, so billing must be
    /// discharged another way: the UI asks before sending this.
    MarkedDispatched,
    Cancelled,
    /// Part of a line refunded: Shopify lowers its current quantity.
    Refunded {
        line: LineId,
        quantity: i64,
    },
    /// Every remaining quantity refunded.
    RefundedInFull,
    /// An order edit set a line's current quantity.
    LineEdited {
        line: LineId,
        quantity: i64,
    },
    /// An order edit added a line.
    LineAdded(OrderLine),
    Fulfilled {
        line: LineId,
        quantity: i64,
    },
}

/// Why an event cannot be applied; the order is left unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize)]
pub enum OrderError {
    #[error("order is {from:?}; it cannot be {event}")]
    InvalidTransition {
        from: OrderState,
        event: &'static str,
    },
    #[error("the order has no line {0:?}")]
    UnknownLine(LineId),
    #[error("line {line:?}: {requested} is more than the {allowed} allowed")]
    QuantityTooLarge {
        line: LineId,
        requested: i64,
        allowed: i64,
    },
    #[error("quantities cannot be negative (got {0})")]
    NegativeQuantity(i64),
    /// An edit would set a line below what was already fulfilled.
    #[error("line {line:?}: {requested} is less than the {fulfilled} already fulfilled")]
    BelowFulfilled {
        line: LineId,
        requested: i64,
        fulfilled: i64,
    },
}

impl Order {
    /// True while the order's lines count in R(p): open, or invoiced without stock discharge.
    #[must_use]
    pub fn reserves_stock(&self) -> bool {
        matches!(
            self.state,
            OrderState::Open
                | OrderState::Invoiced {
                    stock_discharged: false
                }
        )
    }

    /// The (code, quantity) pairs this order reserves now; empty once the reservation ended.
    pub fn reserved_lines(&self) -> impl Iterator<Item = (&ProductCode, i64)> {
        let reserving = self.reserves_stock();
        self.lines
            .iter()
            .filter(move |_| reserving)
            .filter_map(|l| l.code.as_ref().map(|c| (c, l.quantity)))
            .filter(|(_, q)| *q > 0)
    }

    /// Applies `event`, or returns why it cannot happen (leaving the order as it was).
    pub fn apply(&mut self, event: OrderEvent) -> Result<(), OrderError> {
        use OrderState::{Cancelled, Dispatched, Invoiced, Open};
        let invalid = |from, event| Err(OrderError::InvalidTransition { from, event });
        match (self.state, event) {
            (Cancelled, e) => invalid(Cancelled, e.verb()),
            (Open, OrderEvent::Invoiced { stock_discharged }) => {
                self.state = Invoiced { stock_discharged };
                Ok(())
            }
            (from, OrderEvent::Invoiced { .. }) => invalid(from, "invoiced"),
            (Dispatched, OrderEvent::MarkedDispatched) => invalid(Dispatched, "dispatched"),
            (_, OrderEvent::MarkedDispatched) => {
                self.state = Dispatched;
                Ok(())
            }
            (_, OrderEvent::Cancelled) => {
                self.state = Cancelled;
                Ok(())
            }
            (_, OrderEvent::Refunded { line, quantity }) => {
                let l = self.line_mut(line)?;
                check_quantity(line, quantity, l.quantity)?;
                l.quantity -= quantity;
                l.refunded += quantity;
                // A refunded fulfilled unit is a return: it no longer counts as fulfilled.
                l.fulfilled = l.fulfilled.min(l.quantity);
                Ok(())
            }
            (_, OrderEvent::RefundedInFull) => {
                for l in &mut self.lines {
                    l.refunded += l.quantity;
                    l.quantity = 0;
                    l.fulfilled = 0;
                }
                Ok(())
            }
            (_, OrderEvent::LineEdited { line, quantity }) => {
                let l = self.line_mut(line)?;
                if quantity < 0 {
                    return Err(OrderError::NegativeQuantity(quantity));
                }
                if quantity < l.fulfilled {
                    return Err(OrderError::BelowFulfilled {
                        line,
                        requested: quantity,
                        fulfilled: l.fulfilled,
                    });
                }
                l.quantity = quantity;
                Ok(())
            }
            (_, OrderEvent::LineAdded(line)) => {
                if self.lines.iter().any(|l| l.id == line.id) {
                    return invalid(self.state, "given a line it already has");
                }
                if line.quantity < 0 {
                    return Err(OrderError::NegativeQuantity(line.quantity));
                }
                self.lines.push(line);
                Ok(())
            }
            (_, OrderEvent::Fulfilled { line, quantity }) => {
                let l = self.line_mut(line)?;
                check_quantity(line, quantity, l.quantity - l.fulfilled)?;
                l.fulfilled += quantity;
                Ok(())
            }
        }
    }

    fn line_mut(&mut self, id: LineId) -> Result<&mut OrderLine, OrderError> {
        self.lines
            .iter_mut()
            .find(|l| l.id == id)
            .ok_or(OrderError::UnknownLine(id))
    }
}

impl OrderEvent {
    fn verb(&self) -> &'static str {
        match self {
            Self::Invoiced { .. } => "invoiced",
            Self::MarkedDispatched => "dispatched",
            Self::Cancelled => "cancelled",
            Self::Refunded { .. } | Self::RefundedInFull => "refunded",
            Self::LineEdited { .. } | Self::LineAdded(_) => "edited",
            Self::Fulfilled { .. } => "fulfilled",
        }
    }
}

fn check_quantity(line: LineId, requested: i64, allowed: i64) -> Result<(), OrderError> {
    if requested < 0 {
        return Err(OrderError::NegativeQuantity(requested));
    }
    if requested > allowed {
        return Err(OrderError::QuantityTooLarge {
            line,
            requested,
            allowed,
        });
    }
    Ok(())
}

#[cfg(test)]
#[path = "order_tests.rs"]
mod tests;
