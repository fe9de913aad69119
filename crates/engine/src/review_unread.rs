//! When a retry from needs-review must not send: the service's reads answered "cannot tell"
//! and named no document to check (SmartBill after more than 20 documents since the mark or
//! without the series' next number, Oblio with its list not read to the end). Sending then could
//! make a second document of one sale or refund, so the retry is refused with words that send
//! the merchant to the billing service and to the choices that make no call.

use punte_core::order::OrderId;

use crate::error::EngineError;

fn refused(order: OrderId, reason: String) -> EngineError {
    EngineError::ResolutionRefused { order, reason }
}

/// A credit note retry refused: the reads cannot tell whether the credit note exists.
pub(crate) fn credit(order: OrderId, why: &str) -> EngineError {
    refused(
        order,
        format!(
            "Programul de facturare nu poate arăta dacă nota de credit există deja, așa că Punte \
             nu o trimite din nou (ar putea apărea de două ori). Căutați-o în programul de \
             facturare: dacă există, alegeți „Am emis-o manual” cu seria și numărul ei; dacă nu \
             trebuie emisă, alegeți „Nu e nevoie de notă de credit”. / The billing service's \
             reads cannot tell whether the credit note already exists ({why}), so Punte does not \
             send it again (it could exist twice). Look for it in the billing service: if it \
             exists, choose \"I issued it by hand\" with its series and number; if none is \
             needed, choose \"No credit note needed\"."
        ),
    )
}

/// An invoice retry ("it does not exist: issue it") refused: the reads cannot tell whether the
/// order's invoice exists.
pub(crate) fn invoice(order: OrderId, why: &str) -> EngineError {
    refused(
        order,
        format!(
            "Programul de facturare nu poate arăta dacă factura comenzii există deja, așa că \
             Punte nu o emite din nou (ar putea apărea de două ori). Căutați-o în programul de \
             facturare: dacă există, alegeți „Factura există: leag-o” cu seria și numărul ei. / \
             The billing service's reads cannot tell whether the order's invoice already exists \
             ({why}), so Punte does not issue it again (it could exist twice). Look for it in \
             the billing service: if it exists, choose \"The invoice exists: link it\" with its \
             series and number."
        ),
    )
}
