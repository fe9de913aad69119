//! Confirming an invoice: the outbox item becomes confirmed and its order Invoiced in one
//! transaction, so the reservation ends exactly once. A confirmation that arrives after the
//! order was cancelled or dispatched (or invoiced another way) still records the invoice, but
//! leaves the order alone and puts the item in needs-review for the merchant.

use punte_core::order::{OrderId, OrderState};
use rusqlite::{TransactionBehavior, params};
use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::open::Store;
use crate::orders::{Change, change_state, current_state};
use crate::outbox::{IssuedInvoice, OutboxState, check_move};
use crate::sqlval::{state_word, ts};

/// What [`Store::confirm_invoice_checked`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvoiceConfirmation {
    /// The item is confirmed and the order Invoiced (or already was).
    Confirmed,
    /// The invoice is recorded on the item, which is now needs-review; the order, which the
    /// lifecycle does not allow to become Invoiced, was not moved.
    NeedsReview { order_state: OrderState },
}

impl Store {
    /// Confirms the invoice and moves its order to Invoiced in one transaction (ending the
    /// reservation when stock was discharged). See [`Store::confirm_invoice_checked`] for a late
    /// confirmation of an order that can no longer be invoiced.
    ///
    /// # Errors
    /// [`crate::StoreError::OutboxTransition`] if the item is already final.
    pub fn confirm_invoice(
        &mut self,
        id: i64,
        invoice: &IssuedInvoice,
        change: &Change,
    ) -> Result<()> {
        self.confirm_invoice_checked(id, invoice, change)
            .map(|_| ())
    }

    /// Like [`Store::confirm_invoice`], and says whether the order moved. When the order is
    /// Cancelled, Dispatched or already invoiced otherwise, the invoice (series, number, link)
    /// is still recorded, the item becomes needs-review with an explanation, and the order
    /// keeps its state.
    ///
    /// # Errors
    /// [`crate::StoreError::OutboxTransition`] if the item is already final.
    pub fn confirm_invoice_checked(
        &mut self,
        id: i64,
        invoice: &IssuedInvoice,
        change: &Change,
    ) -> Result<InvoiceConfirmation> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        check_move(&tx, id, OutboxState::Confirmed)?;
        let (order, discharged): (u64, bool) = tx.query_row(
            "SELECT order_id, stock_discharge FROM invoice_outbox WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let order = OrderId(order);
        let target = OrderState::Invoiced {
            stock_discharged: discharged,
        };
        let from = current_state(&tx, order)?;
        let (state, error, outcome) = if from == target || from.can_become(target) {
            (OutboxState::Confirmed, None, InvoiceConfirmation::Confirmed)
        } else {
            let word = state_word(from);
            let error = format!(
                "Factura a fost emisă după ce comanda a devenit „{word}”; comanda nu a fost \
                 modificată, verificați factura (eventual stornare). / The invoice was issued \
                 after the order became {word}; the order was not changed, check the invoice \
                 (storno it if needed)."
            );
            let outcome = InvoiceConfirmation::NeedsReview { order_state: from };
            (OutboxState::NeedsReview, Some(error), outcome)
        };
        tx.execute(
            "UPDATE invoice_outbox SET state = ?2, series = ?3, number = ?4, link = ?5,
                error = ?6, updated_at = ?7 WHERE id = ?1",
            params![
                id,
                state.word(),
                invoice.series,
                invoice.number,
                invoice.link,
                error,
                ts(change.at)
            ],
        )?;
        if state == OutboxState::Confirmed {
            change_state(&tx, order, target, change)?;
        }
        tx.commit()?;
        Ok(outcome)
    }
}
