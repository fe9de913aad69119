//! Oblio (`/api`): client-credentials token as Bearer, the `{status, statusMessage, data}`
//! envelope, nomenclatures paged by 250, invoices keyed by `idempotencyKey` (so issuing and storno
//! are safe to repeat), paced under 30 documents / 100 s and 30 other calls / 10 s, and under 3
//! calls per second overall.

mod api;
mod auth;
mod body;
mod reply;

use std::time::Duration;

use punte_core::invoice::InvoiceDraft;
use punte_core::product::{BillingProduct, ProductCode};
use reqwest::{RequestBuilder, Url};

use crate::Secret;
use crate::endpoint::{base_url, join};
use crate::error::BillingError;
use crate::http::{Http, Options, Repeat, Reply, Verdict};
use crate::limit::{Limiter, Rate};
use crate::model::{Existing, InvoiceRef, IssuedInvoice, SeriesInfo, SeriesMark};
use reply::{Company, Doc, Management, Product, SERVICE, Series, Vat, data};

pub const PRODUCTION: &str = "https://www.oblio.eu/api";
/// Document-generating calls: 30 / 100 s, with margin.
pub const DOCS_RATE: Rate = Rate::new(27, Duration::from_secs(110));
/// Every other call: 30 / 10 s, with margin.
pub const OTHER_RATE: Rate = Rate::new(27, Duration::from_secs(11));
/// Every call, whatever its group (the token request too): an older version of Oblio's docs
/// blocks the token for 10 minutes above 3 requests per second. 3 per 1.1 s, with margin.
pub const BURST_RATE: Rate = Rate::new(3, Duration::from_millis(1100));
const PAGE: usize = 250;

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
    tokens: auth::Tokens,
}

fn pass(_: &Reply) -> Verdict {
    Verdict::Pass
}

impl Oblio {
    pub fn new(config: Config, options: Options) -> Result<Self, BillingError> {
        let scale = options.time_scale;
        let base = base_url(&config.base_url)?;
        let burst = Limiter::new(BURST_RATE.scaled(scale));
        Ok(Self {
            http: Http::for_base(SERVICE, options, &base)?,
            base,
            docs: Limiter::new(DOCS_RATE.scaled(scale)).and(burst.clone()),
            other: Limiter::new(OTHER_RATE.scaled(scale)).and(burst),
            tokens: auth::Tokens::default(),
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

    async fn nomenclature<T: serde::de::DeserializeOwned>(
        &self,
        what: &str,
        query: &[(&str, String)],
    ) -> Result<T, BillingError> {
        let url = join(&self.base, &format!("nomenclature/{what}"));
        let cif = self.config.cif.as_str();
        let build = |c: &reqwest::Client, token: &str| {
            c.get(url.clone())
                .bearer_auth(token)
                .query(&[("cif", cif)])
                .query(query)
        };
        let reply = self
            .authed("read nomenclature", Repeat::Safe, false, &build)
            .await?;
        data(&reply)
    }

    async fn read_series(&self) -> Result<Vec<SeriesInfo>, BillingError> {
        let list: Vec<Series> = self.nomenclature("series", &[]).await?;
        Ok(list
            .into_iter()
            .filter(|s| s.kind.is_empty() || s.kind == "Factura")
            .map(|s| SeriesInfo {
                name: s.name,
                next_number: s.next,
            })
            .collect())
    }

    async fn stock_of(
        &self,
        warehouse: &str,
        codes: Option<&[ProductCode]>,
    ) -> Result<Vec<BillingProduct>, BillingError> {
        let mut found: Vec<Product> = Vec::new();
        let base = vec![("management", warehouse.to_owned())];
        match codes {
            Some(codes) if codes.len() <= 3 => {
                for c in codes {
                    let mut q = base.clone();
                    q.push(("code", c.as_str().to_owned()));
                    found.extend(self.nomenclature::<Vec<Product>>("products", &q).await?);
                }
            }
            _ => loop {
                let mut q = base.clone();
                q.push(("offset", found.len().to_string()));
                let page: Vec<Product> = self.nomenclature("products", &q).await?;
                let full = page.len() == PAGE;
                found.extend(page);
                if !full {
                    break;
                }
            },
        }
        let mut out: Vec<BillingProduct> = Vec::new();
        for p in found.into_iter().filter(|p| !p.code.is_empty()) {
            if codes.is_some_and(|cs| !cs.iter().any(|c| c.as_str() == p.code)) {
                continue;
            }
            let flat = p
                .quantity
                .filter(|_| p.management.as_deref().is_none_or(|m| m == warehouse))
                .map(|q| q.0);
            let listed = p
                .stock
                .iter()
                .filter(|s| s.management == warehouse)
                .map(|s| s.quantity.0);
            let stock = flat.into_iter().chain(listed).sum();
            if out.iter().any(|o| o.code.as_str() == p.code) {
                continue;
            }
            out.push(BillingProduct {
                code: ProductCode(p.code),
                name: p.name,
                stock,
            });
        }
        Ok(out)
    }

    async fn post_doc<B: serde::Serialize + Sync>(
        &self,
        op: &'static str,
        body: &B,
    ) -> Result<InvoiceRef, BillingError> {
        let url = join(&self.base, "docs/invoice");
        let build =
            |c: &reqwest::Client, token: &str| c.post(url.clone()).bearer_auth(token).json(body);
        // Keyed by idempotencyKey: a repeat returns the first answer, never a second document.
        let reply = self.authed(op, Repeat::Safe, true, &build).await?;
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
        })
    }

    async fn find(
        &self,
        draft: &InvoiceDraft,
        series: &str,
        mark: &SeriesMark,
    ) -> Result<Existing, BillingError> {
        let now = self.read_series().await?;
        let next = now
            .into_iter()
            .find(|s| s.name == series)
            .and_then(|s| s.next_number);
        if next.is_some() && next == mark.next_number {
            return Ok(Existing::Absent);
        }
        let invoice = self.issue(draft, series).await?.invoice;
        Ok(Existing::Found { invoice })
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
            Err(BillingError::Rejected { text, .. })
                if text.to_lowercase().contains("deja anulat") =>
            {
                Ok(())
            }
            Err(BillingError::Rejected { text, .. })
                if text.to_lowercase().contains("nu a fost gasit") =>
            {
                Err(BillingError::InvoiceNotFound {
                    invoice: invoice.label(),
                })
            }
            Err(e) => Err(e),
        }
    }
}
