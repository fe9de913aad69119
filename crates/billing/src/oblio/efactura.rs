//! Oblio's e-Factura (SPV) through its API [OB-DOC]: the state is read from
//! `GET docs/invoice/list` with `withEinvoiceStatus=1` (each row's `einvoiceStatus{text, sent,
//! code}`: -1 not sent, 0 in processing, 1 sent and validated, 2 errors, `text` carrying ANAF's
//! message), and `POST docs/einvoice` asks Oblio to upload a document that is not sent yet. A
//! read never sends; a lost answer to a send is settled by the next read.

use serde::Deserialize;

use super::Oblio;
use super::reply::{SERVICE, data};
use crate::endpoint::join;
use crate::error::BillingError;
use crate::http::Repeat;
use crate::model::InvoiceRef;
use crate::wire::text_or_number;
use punte_core::efactura::SpvState;

/// `einvoiceStatus` as Oblio shows it (code as a number or a string: both are accepted).
#[derive(Debug, Deserialize)]
struct Status {
    #[serde(default)]
    text: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    code: String,
}

/// A listed document with its SPV state.
#[derive(Debug, Deserialize)]
struct Row {
    #[serde(deserialize_with = "text_or_number")]
    number: String,
    #[serde(default, rename = "einvoiceStatus")]
    status: Option<Status>,
}

/// Oblio's `code` and `text` as a state; an unknown code is not guessed at.
fn state(status: Option<&Status>) -> Result<SpvState, BillingError> {
    let Some(s) = status else {
        return Ok(SpvState::NotSent);
    };
    let text = s.text.clone().unwrap_or_default();
    Ok(match s.code.trim() {
        "" | "-1" => SpvState::NotSent,
        "0" => SpvState::InProgress,
        "1" => SpvState::Accepted,
        "2" => SpvState::Rejected {
            reason: if text.is_empty() {
                "ANAF a respins factura (fără motiv în răspuns)".into()
            } else {
                text
            },
        },
        other => {
            return Err(BillingError::InvalidResponse {
                service: SERVICE,
                detail: format!("unknown e-Factura code {other:?}"),
            });
        }
    })
}

fn same_number(a: &str, b: &str) -> bool {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

impl Oblio {
    /// The SPV state of `invoice`, by one read.
    pub(super) async fn read_efactura(
        &self,
        invoice: &InvoiceRef,
    ) -> Result<SpvState, BillingError> {
        let q = [
            ("seriesName", invoice.series.clone()),
            ("number", invoice.number.clone()),
            ("withEinvoiceStatus", "1".to_owned()),
        ];
        let rows: Vec<Row> = self
            .read("read e-Factura state", "docs/invoice/list", &q)
            .await?;
        match rows
            .iter()
            .find(|r| same_number(&r.number, &invoice.number))
        {
            Some(row) => state(row.status.as_ref()),
            None => Err(BillingError::InvoiceNotFound {
                invoice: invoice.label(),
            }),
        }
    }

    /// Asks Oblio to upload `invoice` to SPV; answers the state Oblio reports after it.
    pub(super) async fn upload_efactura(
        &self,
        invoice: &InvoiceRef,
    ) -> Result<SpvState, BillingError> {
        let url = join(&self.base, "docs/einvoice");
        let body = serde_json::json!({"cif": self.config.cif, "seriesName": invoice.series,
            "number": invoice.number});
        let build =
            |c: &reqwest::Client, token: &str| c.post(url.clone()).bearer_auth(token).json(&body);
        let reply = self
            .authed("send to e-Factura", Repeat::Unsafe, true, &build)
            .await?;
        let status: Status = data(&reply)?;
        state(Some(&status))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(code: &str, text: &str) -> Status {
        Status {
            text: Some(text.into()),
            code: code.into(),
        }
    }

    #[test]
    fn codes_map_to_states_and_unknown_ones_are_refused() {
        assert_eq!(state(None).ok(), Some(SpvState::NotSent));
        assert_eq!(state(Some(&st("-1", ""))).ok(), Some(SpvState::NotSent));
        assert_eq!(state(Some(&st("0", ""))).ok(), Some(SpvState::InProgress));
        assert_eq!(state(Some(&st("1", "ok"))).ok(), Some(SpvState::Accepted));
        assert_eq!(
            state(Some(&st("2", "E: CUI invalid"))).ok(),
            Some(SpvState::Rejected {
                reason: "E: CUI invalid".into()
            })
        );
        assert!(state(Some(&st("7", ""))).is_err());
    }
}
