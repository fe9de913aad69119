//! Engine and store errors as the window receives them: the stable code, the sentence in
//! Romanian and in English (the connectors word their own; the engine's and the store's are
//! worded here), and the order or product they are about, so no English-only text reaches a
//! Romanian window.

use punte_billing::error::Lang;
use punte_engine::EngineError;
use punte_store::StoreError;

use crate::CommandError;

/// An engine error for the window.
pub fn engine_error(err: EngineError) -> CommandError {
    use EngineError as E;
    let code = err.code();
    let order = |o: &punte_core::order::OrderId| o.0.to_string();
    let (ro, en, about) = match &err {
        E::Shopify(e) => (e.message_ro(), e.message_en(), None),
        E::Billing(e) => (e.message(Lang::Ro), e.message(Lang::En), None),
        E::Store(e) => {
            let (ro, en) = store_words(e);
            (ro, en, None)
        }
        E::Keychain(_) => (
            "Portofelul de parole al sistemului nu răspunde; deblocați-l și încercați din nou."
                .to_owned(),
            "The system keychain is not available; unlock it and try again.".to_owned(),
            None,
        ),
        E::MissingSecret(_) => (
            "Nu este salvat niciun secret pentru acest serviciu; conectați-l din nou în Profil."
                .to_owned(),
            "No credential is saved for this service; connect it again in Profile.".to_owned(),
            None,
        ),
        E::Config(_) => (
            "Setările nu sunt valide; verificați Profilul.".to_owned(),
            "The settings are not valid; check Profile.".to_owned(),
            None,
        ),
        E::OrderNotFound(o) => (
            format!("Comanda {} nu este în lista Punte.", o.0),
            format!("Order {} is not in Punte's list.", o.0),
            Some(order(o)),
        ),
        E::NotInvoiceable { order: o, .. } => (
            format!(
                "Comanda {} nu mai este deschisă, deci nu se poate factura.",
                o.0
            ),
            format!("Order {} is no longer open, so it cannot be invoiced.", o.0),
            Some(order(o)),
        ),
        E::AlreadyDispatched(o) => (
            format!("Comanda {} este deja marcată Expediată.", o.0),
            format!("Order {} is already marked Dispatched.", o.0),
            Some(order(o)),
        ),
        E::NotDispatchable { order: o, .. } => (
            format!(
                "Comanda {} nu poate fi marcată Expediată: este anulată sau facturată cu descărcare de stoc.",
                o.0
            ),
            format!(
                "Order {} cannot be marked Dispatched: it is cancelled or invoiced with stock discharge.",
                o.0
            ),
            Some(order(o)),
        ),
        E::NothingToConfirm => (
            "Nicio sincronizare nu așteaptă confirmarea.".to_owned(),
            "No sync is waiting for confirmation.".to_owned(),
            None,
        ),
        E::Stopped => (
            "Sincronizarea s-a oprit; încercați din nou peste câteva secunde.".to_owned(),
            "The sync engine has stopped; try again in a few seconds.".to_owned(),
            None,
        ),
        #[allow(unreachable_patterns)]
        _ => (err.to_string(), err.to_string(), None),
    };
    let e = CommandError::bilingual(code, ro, en);
    match about {
        Some(o) => e.with("order", o),
        None => e,
    }
}

/// A store error for the window.
pub fn store_error(err: StoreError) -> CommandError {
    let (ro, en) = store_words(&err);
    CommandError::bilingual(err.code(), ro, en)
}

/// Romanian and English for a store error; the store words some itself ("ro / en").
fn store_words(e: &StoreError) -> (String, String) {
    let text = e.to_string();
    if text.matches(" / ").count() == 1
        && let Some((ro, en)) = text.split_once(" / ")
    {
        return (ro.trim().to_owned(), en.trim().to_owned());
    }
    let ro = match e.code() {
        "store.corrupt" => {
            "Baza de date nu a trecut verificarea de integritate; restaurați ultima copie de rezervă."
        }
        "store.migration_failed" => {
            "Actualizarea bazei de date a eșuat și a fost anulată; nimic nu s-a pierdut."
        }
        "store.backup_failed" => {
            "Copia de rezervă dinaintea actualizării bazei de date nu a putut fi făcută."
        }
        "store.not_punte_database" => "Fișierul nu este o bază de date Punte; nu este folosit.",
        "store.not_found" => "Înregistrarea căutată nu există.",
        "store.bad_value" => "O valoare salvată nu poate fi citită.",
        "store.thread_gone" | "store.thread_start" => "Baza de date nu răspunde; reporniți Punte.",
        "store.export_failed" => "Exportul nu a putut fi scris.",
        "store.outbox_transition" => "Starea facturii nu permite această schimbare.",
        _ => "Baza de date a răspuns cu o eroare; încercați din nou.",
    };
    (ro.to_owned(), text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use punte_core::order::OrderId;

    #[test]
    fn engine_errors_are_worded_in_both_languages_with_their_order() {
        let e = engine_error(EngineError::AlreadyDispatched(OrderId(7)));
        assert_eq!(e.code, "engine.already_dispatched");
        assert_eq!(e.params["order"], "7");
        assert!(e.params["ro"].contains("deja") && e.params["en"].contains("already"));
        let e = engine_error(EngineError::OrderNotFound(OrderId(0)));
        assert!(!e.message.contains("OrderId("), "{}", e.message);
        let e = store_error(StoreError::ThreadGone);
        assert!(e.params["ro"].contains("Baza de date"));
    }
}
