//! Oblio (`/api`): client-credentials token as Bearer (one per account, kept for its lifetime),
//! the `{status, statusMessage, data}` envelope, nomenclatures paged by 250, warehouses as
//! (work point, management) pairs, invoices carrying the order's `idempotencyKey` and
//! `punte:<id>` mention, paced under the current docs' 30 documents / 100 s and 30 other calls /
//! 10 s. A lost answer is settled by listing the series' documents (`recover`), never by
//! sending the invoice again.

mod api;
mod auth;
mod body;
mod collect;
mod efactura;
mod recover;
mod reply;
mod stock;

use std::sync::Arc;
use std::time::Duration;

use punte_core::credit_note::CreditDraft;
use punte_core::invoice::InvoiceDraft;
use reqwest::{RequestBuilder, Url};

use crate::Secret;
use crate::endpoint::{base_url, join};
use crate::error::BillingError;
use crate::http::{Http, Repeat, Reply, Verdict};
use crate::limit::{Limiter, Rate};
use crate::model::{InvoiceRef, IssuedInvoice, SeriesInfo};
use crate::options::Options;
use reply::{Company, Doc, Listed, SERVICE, Series, Vat, data};

pub const PRODUCTION: &str = "https://www.oblio.eu/api";
/// Document-generating calls: 30 / 100 s, with margin.
pub const DOCS_RATE: Rate = Rate::new(27, Duration::from_secs(110));
/// Every other call: 30 / 10 s, with margin.
pub const OTHER_RATE: Rate = Rate::new(27, Duration::from_secs(11));
/// `workStation`'s default in Oblio's docs.
pub const DEFAULT_WORK_STATION: &str = "Sediu";
/// Between a work point and a management in a warehouse id ("Punct Cluj / Depozit").
pub const WORK_POINT_SEPARATOR: &str = " / ";

/// The (work point, management) a warehouse id names: "Punct Cluj / Depozit" → both parts; a
/// bare management name is the default work point's (ids saved before work points were known).
#[must_use]
pub fn warehouse_parts(id: &str) -> (&str, &str) {
    id.split_once(WORK_POINT_SEPARATOR)
        .unwrap_or((DEFAULT_WORK_STATION, id))
}

/// The warehouse id of `management` in `work_station` (the default work point's are bare).
#[must_use]
pub fn warehouse_id(work_station: &str, management: &str) -> String {
    if work_station == DEFAULT_WORK_STATION || work_station.is_empty() {
        management.to_owned()
    } else {
        format!("{work_station}{WORK_POINT_SEPARATOR}{management}")
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub base_url: String,
    /// The account e-mail (`client_id`).
    pub email: String,
    /// The API secret (`client_secret`), from Setari → Date Cont.
    pub secret: Secret,
    pub cif: String,
    pub unit: String,
}

pub struct Oblio {
    config: Config,
    base: Url,
    http: Http,
    docs: Limiter,
    other: Limiter,
    tokens: Arc<auth::Tokens>,
}

fn pass(_: &Reply) -> Verdict {
    Verdict::Pass
}

impl Oblio {
    pub fn new(config: Config, options: Options) -> Result<Self, BillingError> {
        let scale = options.time_scale;
        let base = base_url(&config.base_url)?;
        let http = Http::for_base(SERVICE, options, &base)?;
        Ok(Self {
            docs: http.limiter(
                &format!("oblio:{}:docs", config.cif),
                DOCS_RATE.scaled(scale),
            ),
            other: http.limiter(&format!("oblio:{}", config.cif), OTHER_RATE.scaled(scale)),
            tokens: auth::shared(&base, &config.email, &config.secret),
            http,
            base,
            config,
        })
    }

    /// One call with a valid token; on 401 the token is renewed once and the call repeated
    /// (a 401 means the call did not run).
    async fn authed(
        &self,
        op: &'static str,
        repeat: Repeat,
        document: bool,
        build: &(dyn Fn(&reqwest::Client, &str) -> RequestBuilder + Sync),
    ) -> Result<Reply, BillingError> {
        let limiter = if document { &self.docs } else { &self.other };
        for _ in 0..2 {
            let token = self.token().await?;
            let b = |c: &reqwest::Client| build(c, token.expose());
            let reply = self.http.call(op, repeat, limiter, &b, &pass).await?;
            if reply.status.as_u16() != 401 {
                return Ok(reply);
            }
            tracing::info!(service = SERVICE, op, "token refused, renewing");
            self.tokens.forget(&token).await;
        }
        Err(BillingError::AuthFailed { service: SERVICE })
    }

    async fn token(&self) -> Result<Secret, BillingError> {
        let c = &self.config;
        self.tokens
            .get(&self.http, &self.base, &c.email, &c.secret, &self.other)
            .await
    }

    /// A GET of `path` with the company's `cif` (nomenclatures, document reads).
    async fn read<T: serde::de::DeserializeOwned>(
        &self,
        op: &'static str,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<T, BillingError> {
        let url = join(&self.base, path);
        let cif = self.config.cif.as_str();
        let build = |c: &reqwest::Client, token: &str| {
            c.get(url.clone())
                .bearer_auth(token)
                .query(&[("cif", cif)])
                .query(query)
        };
        let reply = self.authed(op, Repeat::Safe, false, &build).await?;
        data(&reply)
    }

    async fn nomenclature<T: serde::de::DeserializeOwned>(
        &self,
        what: &str,
        query: &[(&str, String)],
    ) -> Result<T, BillingError> {
        self.read("read nomenclature", &format!("nomenclature/{what}"), query)
            .await
    }

    async fn read_series(&self) -> Result<Vec<SeriesInfo>, BillingError> {
        let list: Vec<Series> = self.nomenclature("series", &[]).await?;
        Ok(list
            .into_iter()
            .filter(|s| s.kind.is_empty() || s.kind == "Factura")
            .map(|s| SeriesInfo {
                name: s.name,
                next_number: Some(s.next).filter(|n| !n.is_empty()),
            })
            .collect())
    }

    /// Sends a document once: a lost answer is `UnknownOutcome`, settled by `recover`.
    async fn post_doc<B: serde::Serialize + Sync>(
        &self,
        op: &'static str,
        body: &B,
    ) -> Result<InvoiceRef, BillingError> {
        let url = join(&self.base, "docs/invoice");
        let build =
            |c: &reqwest::Client, token: &str| c.post(url.clone()).bearer_auth(token).json(body);
        let reply = self.authed(op, Repeat::Unsafe, true, &build).await?;
        let doc: Doc = data(&reply)?;
        Ok(InvoiceRef {
            series: doc.series,
            number: doc.number,
            link: doc.link,
        })
    }

    async fn issue(
        &self,
        draft: &InvoiceDraft,
        series: &str,
    ) -> Result<IssuedInvoice, BillingError> {
        // One `workStation` per document: lines discharged from two work points cannot share
        // one invoice (the second point's lines would silently not be discharged). Refused
        // before any call, so the order waits for the merchant with nothing issued.
        if draft.use_stock {
            let points: std::collections::BTreeSet<&str> = draft
                .lines
                .iter()
                .filter_map(|l| l.warehouse.as_deref())
                .map(|w| warehouse_parts(w).0)
                .collect();
            if points.len() > 1 {
                return Err(BillingError::NotSupported {
                    service: SERVICE,
                    operation: "one invoice discharging from two work points",
                });
            }
        }
        // A replayed idempotencyKey is answered exactly like a first issue (the docs say no
        // more); the series' next number read just before tells them apart: an invoice numbered
        // below it already existed. Without that number the answer stays "new".
        let before = match self.read_series().await {
            Ok(list) => list
                .into_iter()
                .find(|s| s.name == series)
                .and_then(|s| s.next_number)
                .and_then(|n| n.parse::<u64>().ok()),
            Err(e) => {
                tracing::warn!(service = SERVICE, error = %e, "series not read before issuing");
                None
            }
        };
        let body = body::invoice(draft, &self.config.cif, series, &self.config.unit);
        let invoice = self.post_doc("issue invoice", &body).await?;
        let number = invoice.number.parse::<u64>().ok();
        let already_existed = before.zip(number).is_some_and(|(next, got)| got < next);
        Ok(IssuedInvoice {
            invoice,
            already_existed,
            stock_after: Vec::new(),
        })
    }

    /// A refund's credit: Oblio's storno of the whole invoice, or of the refund's lines.
    async fn credit(
        &self,
        credit: &CreditDraft,
        series: &str,
    ) -> Result<IssuedInvoice, BillingError> {
        let invoice = if credit.whole {
            let body = body::whole_credit(&self.config.cif, series, credit);
            self.post_doc("storno invoice", &body).await?
        } else {
            let draft = credit.as_invoice();
            let body =
                body::partial_credit(&draft, credit, &self.config.cif, series, &self.config.unit);
            self.post_doc("issue credit", &body).await?
        };
        Ok(IssuedInvoice::created(invoice))
    }

    /// Documents of `series` (and `number`, when given), newest first, one page.
    async fn list_docs(
        &self,
        series: &str,
        number: Option<&str>,
        issued_after: Option<String>,
        offset: usize,
    ) -> Result<Vec<Listed>, BillingError> {
        let mut q = vec![
            ("seriesName", series.to_owned()),
            ("orderBy", "id".to_owned()),
            ("orderDir", "desc".to_owned()),
            ("limitPerPage", recover::LIST_PAGE.to_string()),
            ("offset", offset.to_string()),
        ];
        q.extend(number.map(|n| ("number", n.to_owned())));
        q.extend(issued_after.map(|d| ("issuedAfter", d)));
        self.read("list invoices", "docs/invoice/list", &q).await
    }

    async fn cancel(&self, invoice: &InvoiceRef) -> Result<(), BillingError> {
        let url = join(&self.base, "docs/invoice/cancel");
        let body = serde_json::json!({"cif": self.config.cif, "seriesName": invoice.series,
            "number": invoice.number});
        let build =
            |c: &reqwest::Client, token: &str| c.put(url.clone()).bearer_auth(token).json(&body);
        let reply = self
            .authed("cancel invoice", Repeat::Safe, false, &build)
            .await?;
        match data::<serde_json::Value>(&reply) {
            Ok(_) => Ok(()),
            Err(e @ BillingError::Rejected { .. }) => {
                // Refused: read the document (its `canceled` flag, not the refusal's wording)
                // to tell "already cancelled" and "no such invoice" apart.
                match recover::Reads::new(self).invoice(invoice).await? {
                    Some(facts) if facts.cancelled => Ok(()),
                    Some(_) => Err(e),
                    None => Err(BillingError::InvoiceNotFound {
                        invoice: invoice.label(),
                    }),
                }
            }
            Err(e) => Err(e),
        }
    }
}
