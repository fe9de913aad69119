//! The billing company's VAT rates (SmartBill `GET /tax`, Oblio `vat_rates`, FGO's `tva`
//! nomenclature), read when the billing connection is saved ([`at_connection`], by the shell),
//! before the first invoice if that read failed, and again once a day, kept in the engine's settings so a restart does not read them again. A failed
//! read keeps the last known rates and records the failure (logged, and named in the review
//! text of an order held on those rates); it is tried again after [`RETRY_AFTER`]. An order
//! retried from needs-review reads them afresh: the merchant may just have fixed them.

use chrono::{DateTime, Duration, Utc};
use punte_billing::{BillingError, BillingService, CompanyVatInfo};
use punte_core::money::VatRate;
use punte_core::vat_check::{CompanyVat, NamedRate};
use serde::{Deserialize, Serialize};

use crate::context::Ctx;
use crate::error::EngineError;
use crate::kv;

/// The settings row holding [`KnownVat`].
pub const COMPANY_VAT: &str = "engine.company_vat";

/// Rates older than this are read again.
const MAX_AGE: Duration = Duration::hours(24);

/// After a failed read, the last known rates serve this long before the next attempt.
pub const RETRY_AFTER: Duration = Duration::minutes(15);

/// What Punte knows of the company's VAT: the last rates read, and the last read that failed
/// since then.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownVat {
    pub vat: Option<CompanyVat>,
    pub failed: Option<FailedRead>,
}

/// A read of the rates that failed; the rates in use are older.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedRead {
    pub at: DateTime<Utc>,
    pub code: String,
    pub message: String,
}

/// What Punte knows once a billing connection is saved (issue 16: "read at connection"): the
/// rates read then, or nothing after a failed read, so the engine reads them before the first
/// invoice (rates kept from an earlier connection may be another company's).
#[must_use]
pub fn at_connection(read: Option<CompanyVatInfo>, now: DateTime<Utc>) -> KnownVat {
    KnownVat {
        vat: read.map(|info| CompanyVat {
            rates: info
                .rates
                .into_iter()
                .map(|r| NamedRate {
                    name: r.name,
                    rate: VatRate(r.percent),
                })
                .collect(),
            payer: info.payer,
            read_at: now,
        }),
        failed: None,
    }
}

/// Whether the rates must be read now (pure: `now` is given).
#[must_use]
pub fn due(known: &KnownVat, now: DateTime<Utc>, force: bool) -> bool {
    if let Some(f) = &known.failed
        && !force
        && now - f.at < RETRY_AFTER
        && known.vat.is_some()
    {
        return false;
    }
    match &known.vat {
        None => true,
        Some(v) => force || known.failed.is_some() || now - v.read_at >= MAX_AGE || v.read_at > now,
    }
}

/// The company's rates, read from `billing` when [`due`] (always when `force`). `Err` only
/// when no rates were ever read and this read failed.
pub(crate) async fn company_vat(
    ctx: &Ctx,
    billing: &dyn BillingService,
    force: bool,
) -> Result<Result<KnownVat, BillingError>, EngineError> {
    let now = ctx.now();
    let mut known: KnownVat = kv::get(ctx.store(), COMPANY_VAT).await?.unwrap_or_default();
    if !due(&known, now, force) {
        return Ok(Ok(known));
    }
    ctx.billing_call();
    match billing.company_vat().await {
        Ok(info) => known = at_connection(Some(info), now),
        Err(e) => {
            tracing::warn!(
                code = e.code(),
                "the billing VAT rates could not be read: {e}"
            );
            if known.vat.is_none() {
                return Ok(Err(e));
            }
            known.failed = Some(FailedRead {
                at: now,
                code: e.code().to_owned(),
                message: e.to_string(),
            });
        }
    }
    kv::put(ctx.store(), COMPANY_VAT.to_owned(), known.clone(), now).await?;
    Ok(Ok(known))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap() + Duration::hours(h)
    }

    fn known(read: i64, failed: Option<i64>) -> KnownVat {
        KnownVat {
            vat: Some(CompanyVat {
                rates: Vec::new(),
                payer: Some(true),
                read_at: at(read),
            }),
            failed: failed.map(|f| FailedRead {
                at: at(f),
                code: "billing.offline".into(),
                message: "offline".into(),
            }),
        }
    }

    #[test]
    fn rates_are_read_at_first_use_daily_and_when_forced() {
        assert!(due(&KnownVat::default(), at(0), false), "never read");
        assert!(!due(&known(0, None), at(23), false), "read today");
        assert!(due(&known(0, None), at(24), false), "a day old");
        assert!(due(&known(0, None), at(1), true), "retried from review");
    }

    #[test]
    fn rates_read_at_connection_serve_until_a_day_old_and_a_failed_read_forgets_old_ones() {
        let info = CompanyVatInfo {
            rates: vec![punte_billing::VatRateInfo {
                name: "Normala".into(),
                percent: rust_decimal::Decimal::from(21),
            }],
            payer: Some(true),
        };
        let read = at_connection(Some(info), at(0));
        let rates = &read.vat.as_ref().expect("read").rates;
        assert_eq!(rates[0].rate, VatRate(rust_decimal::Decimal::from(21)));
        assert!(
            !due(&read, at(1), false),
            "no second read before the first invoice"
        );
        assert!(due(&read, at(24), false));
        let failed = at_connection(None, at(0));
        assert_eq!(failed, KnownVat::default());
        assert!(due(&failed, at(0), false), "read before the first invoice");
    }

    #[test]
    fn a_failed_read_keeps_the_last_rates_for_a_while() {
        let k = known(0, Some(30));
        let just_after = at(30) + Duration::minutes(5);
        assert!(!due(&k, just_after, false), "the old rates serve");
        assert!(
            due(&k, at(30) + RETRY_AFTER, false),
            "then it is tried again"
        );
    }
}
