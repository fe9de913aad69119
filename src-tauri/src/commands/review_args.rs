//! The merchant's decision on an order in needs-review as the UI sends it to `resolve_review`
//! (invoice: link it / issue it or retry; a refund's credit note: retry / issued by hand / not
//! needed; a Shopify cancellation in review: handled in the billing service), checked before
//! the engine sees it.

use punte_engine::Resolution;
use serde::Deserialize;

use super::invalid;
use crate::CommandError;

/// The merchant's decision on an invoice in review, as the UI sends it.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ResolutionArgs {
    /// "The invoice exists: link it".
    Link { series: String, number: String },
    /// "It does not: issue it" (or, for an order held by the pre-issue checks, "retry").
    Issue,
    /// A refund's credit note in review: read again, then send it if none is found.
    CreditRetry { refund: u64 },
    /// The refund's credit note was issued by hand in the billing service.
    CreditByHand {
        refund: u64,
        series: String,
        number: String,
    },
    /// No credit note is needed for the refund; the merchant's note goes to the history.
    CreditNotNeeded { refund: u64, note: String },
    /// A Shopify cancellation in review was handled in the billing service; the note goes to
    /// the history.
    CancelHandled { note: String },
}

/// Longest note the merchant writes when closing a credit note as not needed.
const MAX_NOTE: usize = 500;

fn refund_id(refund: u64) -> Result<u64, CommandError> {
    if refund == 0 {
        return Err(invalid(
            "Rambursarea nu este validă / The refund is not valid".to_owned(),
        ));
    }
    Ok(refund)
}

fn document_ref(series: String, number: String) -> Result<(String, String), CommandError> {
    let (series, number) = (series.trim().to_owned(), number.trim().to_owned());
    let fits = |t: &str| !t.is_empty() && t.chars().count() <= MAX_REF;
    if !fits(&series) || !fits(&number) {
        return Err(invalid(format!(
            "Introduceți seria și numărul documentului (cel mult {MAX_REF} caractere) / \
             Enter the document's series and number (at most {MAX_REF} characters)"
        )));
    }
    Ok((series, number))
}

/// Longest series or number a billing service writes (FGO: 50).
const MAX_REF: usize = 50;

impl ResolutionArgs {
    pub(crate) fn validate(self) -> Result<Resolution, CommandError> {
        match self {
            Self::Issue => Ok(Resolution::IssueAnew),
            Self::Link { series, number } => {
                let (series, number) = document_ref(series, number)?;
                Ok(Resolution::Link { series, number })
            }
            Self::CreditRetry { refund } => Ok(Resolution::CreditRetry {
                refund: refund_id(refund)?,
            }),
            Self::CreditByHand {
                refund,
                series,
                number,
            } => {
                let refund = refund_id(refund)?;
                let (series, number) = document_ref(series, number)?;
                Ok(Resolution::CreditByHand {
                    refund,
                    series,
                    number,
                })
            }
            Self::CreditNotNeeded { refund, note } => {
                let refund = refund_id(refund)?;
                let note = note.trim().to_owned();
                if note.is_empty() || note.chars().count() > MAX_NOTE {
                    return Err(invalid(format!(
                        "Scrieți de ce nu e nevoie de notă de credit (cel mult {MAX_NOTE} \
                         caractere) / Say why no credit note is needed (at most {MAX_NOTE} \
                         characters)"
                    )));
                }
                Ok(Resolution::CreditNotNeeded { refund, note })
            }
            Self::CancelHandled { note } => {
                let note = note.trim().to_owned();
                if note.is_empty() || note.chars().count() > MAX_NOTE {
                    return Err(invalid(format!(
                        "Scrieți ce ați făcut în programul de facturare (cel mult {MAX_NOTE} \
                         caractere) / Say what you did in the billing service (at most \
                         {MAX_NOTE} characters)"
                    )));
                }
                Ok(Resolution::CancelHandled { note })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_needs_a_series_and_a_number() {
        let bad = ResolutionArgs::Link {
            series: " ".into(),
            number: "12".into(),
        };
        assert_eq!(bad.validate().unwrap_err().code, "input.invalid");
        let ok = ResolutionArgs::Link {
            series: " FCT ".into(),
            number: "0012".into(),
        };
        assert_eq!(
            ok.validate().unwrap(),
            Resolution::Link {
                series: "FCT".into(),
                number: "0012".into()
            }
        );
        assert_eq!(
            ResolutionArgs::Issue.validate().unwrap(),
            Resolution::IssueAnew
        );
    }

    #[test]
    fn a_credit_decision_names_its_refund_and_what_it_records() {
        let no_refund = ResolutionArgs::CreditRetry { refund: 0 };
        assert_eq!(no_refund.validate().unwrap_err().code, "input.invalid");
        let no_note = ResolutionArgs::CreditNotNeeded {
            refund: 9,
            note: "  ".into(),
        };
        assert_eq!(no_note.validate().unwrap_err().code, "input.invalid");
        let silent = ResolutionArgs::CancelHandled { note: " ".into() };
        assert_eq!(silent.validate().unwrap_err().code, "input.invalid");
        let handled = ResolutionArgs::CancelHandled {
            note: " Storno FCT 12 emis manual ".into(),
        };
        assert_eq!(
            handled.validate().unwrap(),
            Resolution::CancelHandled {
                note: "Storno FCT 12 emis manual".into()
            }
        );
        let by_hand = ResolutionArgs::CreditByHand {
            refund: 9,
            series: " FCT".into(),
            number: "0042 ".into(),
        };
        assert_eq!(
            by_hand.validate().unwrap(),
            Resolution::CreditByHand {
                refund: 9,
                series: "FCT".into(),
                number: "0042".into()
            }
        );
    }
}
