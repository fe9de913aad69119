//! FGO v7 (`/v1`): every account call a JSON POST authenticated by a SHA-1 hash in the body,
//! strictly one at a time, paced per method group (1/s invoices, 1/30 s article list, 1/5 s
//! other article calls); VAT rates and countries come from the public `GET /nomenclator/*`,
//! the account's series from `POST /nomenclator/serii`. Issuing is sent once (with
//! `VerificareDuplicat` + `IdExtern` as a second guard); a lost answer is settled by reads
//! (`recover`).

mod api;
mod articles;
mod body;
mod collect;
pub mod county;
mod lists;
mod recover;
mod reply;

use std::time::Duration;

use punte_core::credit_note::CreditDraft;
use punte_core::invoice::InvoiceDraft;
use punte_core::product::{BillingProduct, ProductCode};
use reqwest::Url;
use serde::Serialize;
use tokio::sync::Mutex;

use crate::Secret;
use crate::endpoint::{base_url, join};
use crate::error::BillingError;
use crate::http::{Http, Repeat, Reply};
use crate::limit::{Limiter, Rate};
use crate::model::{InvoiceRef, IssuedInvoice, SeriesInfo, VatRateInfo};
use crate::options::Options;
use body::{Auth, DocBody};
pub use body::{fgo_country, hash};
use lists::{nomenclature, percent_of};
use reply::{Gestiune, Page, SERVICE, judge, parse};

pub const PRODUCTION: &str = "https://api.fgo.ro/v1";
pub const INVOICE_RATE: Rate = Rate::new(1, Duration::from_millis(1200));
pub const LIST_RATE: Rate = Rate::new(1, Duration::from_secs(32));
pub const ARTICLE_RATE: Rate = Rate::new(1, Duration::from_millis(5500));
/// The public nomenclatures have no documented limit; stay gentle anyway.
pub const NOMENCLATURE_RATE: Rate = Rate::new(1, Duration::from_secs(1));
const PAGE: u64 = 200;

#[derive(Debug, Clone)]
pub struct Config {
    pub base_url: String,
    /// The company's CUI, digits only.
    pub cod_unic: String,
    pub private_key: Secret,
    /// The root URL of the calling app, as registered with FGO.
    pub platform_url: String,
    pub unit: String,
    /// Invoice series to offer when the account's list cannot be read (`/nomenclator/serii`).
    pub series: Vec<String>,
}

pub struct Fgo {
    config: Config,
    base: Url,
    http: Http,
    invoices: Limiter,
    list: Limiter,
    articles: Limiter,
    nomenclatures: Limiter,
    /// FGO wants calls strictly one after another.
    serial: Mutex<()>,
    /// `/nomenclator/tara` as (`Nume`, `Valoare`), read once.
    countries: Mutex<Option<Vec<(String, String)>>>,
}

impl Fgo {
    pub fn new(config: Config, options: Options) -> Result<Self, BillingError> {
        let scale = options.time_scale;
        let base = base_url(&config.base_url)?;
        let http = Http::for_base(SERVICE, options, &base)?;
        let group = |name: &str| format!("fgo:{}:{name}", config.cod_unic);
        Ok(Self {
            invoices: http.limiter(&group("factura"), INVOICE_RATE.scaled(scale)),
            list: http.limiter(&group("articol/list"), LIST_RATE.scaled(scale)),
            articles: http.limiter(&group("articol"), ARTICLE_RATE.scaled(scale)),
            nomenclatures: Limiter::new(NOMENCLATURE_RATE.scaled(scale)),
            http,
            base,
            serial: Mutex::new(()),
            countries: Mutex::new(None),
            config,
        })
    }

    fn auth(&self, extra: &str) -> Auth<'_> {
        let c = &self.config;
        Auth {
            cod_unic: &c.cod_unic,
            hash: hash(&[&c.cod_unic, c.private_key.expose(), extra]),
            platforma_url: &c.platform_url,
        }
    }

    async fn post<B: Serialize + Sync>(
        &self,
        op: &'static str,
        path: &str,
        repeat: Repeat,
        limiter: &Limiter,
        body: &B,
    ) -> Result<Reply, BillingError> {
        let url = join(&self.base, path);
        let build = |c: &reqwest::Client| c.post(url.clone()).json(body);
        let _one_at_a_time = self.serial.lock().await;
        self.http.call(op, repeat, limiter, &build, &judge).await
    }

    /// `GET /nomenclator/{tip}`: public, so no auth fields.
    async fn nomenclature(
        &self,
        op: &'static str,
        tip: &str,
    ) -> Result<Vec<lists::NomenclatureItem>, BillingError> {
        let url = join(&self.base, &format!("nomenclator/{tip}"));
        let build = |c: &reqwest::Client| c.get(url.clone());
        let _one_at_a_time = self.serial.lock().await;
        let reply = self
            .http
            .call(op, Repeat::Safe, &self.nomenclatures, &build, &judge)
            .await?;
        nomenclature(&reply)
    }

    /// FGO's VAT rates from `/nomenclator/tva`: the percent from `Valoare` (else from `Nume`),
    /// rows without a readable percent skipped.
    async fn read_vat_rates(&self) -> Result<Vec<VatRateInfo>, BillingError> {
        let rows = self.nomenclature("list VAT rates", "tva").await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| {
                let percent = percent_of(&r.valoare).or_else(|| percent_of(&r.nume))?;
                let name = if r.nume.is_empty() {
                    format!("{percent}%")
                } else {
                    r.nume
                };
                Some(VatRateInfo { name, percent })
            })
            .collect())
    }

    /// The account's invoice series (`POST /nomenclator/serii`, hashed like article calls).
    /// Rows are read tolerantly (`Serii`, `List` or `Result.List`; a row a string or an object
    /// with `Serie`/`Nume`/`Valoare`); invoice series only when a row says its type.
    async fn read_series(&self) -> Result<Vec<SeriesInfo>, BillingError> {
        let body = self.auth("");
        let reply = self
            .post(
                "list series",
                "nomenclator/serii",
                Repeat::Safe,
                &self.nomenclatures,
                &body,
            )
            .await?;
        lists::series(&reply)
    }

    /// `Client.Tara` for `country`, from `/nomenclator/tara` (read once; without it, Romania
    /// and two-letter codes still go out right).
    async fn country(&self, country: &str) -> String {
        let mut cached = self.countries.lock().await;
        if cached.is_none() {
            match self.nomenclature("list countries", "tara").await {
                Ok(rows) => {
                    *cached = Some(rows.into_iter().map(|r| (r.nume, r.valoare)).collect());
                }
                Err(e) => tracing::warn!(service = SERVICE, error = %e, "countries not read"),
            }
        }
        let list = cached.as_deref().unwrap_or_default();
        let code = fgo_country(country, list);
        if list.is_empty() && code.chars().count() == 2 {
            return code.to_ascii_uppercase();
        }
        code
    }

    async fn issue(
        &self,
        draft: &InvoiceDraft,
        series: &str,
    ) -> Result<IssuedInvoice, BillingError> {
        let tara = self.country(client_country(&draft.client)).await;
        let auth = self.auth(body::client_name(&draft.client));
        let body = body::invoice(auth, draft, series, &self.config.unit, &tara);
        self.emit("issue invoice", &body).await
    }

    /// A refund's credit: FGO's storno of the whole invoice, or an invoice of negative lines.
    async fn credit(
        &self,
        credit: &CreditDraft,
        series: &str,
    ) -> Result<IssuedInvoice, BillingError> {
        if credit.whole {
            let original = InvoiceRef::new(&credit.invoice_series, &credit.invoice_number);
            return Ok(IssuedInvoice::created(self.storno(&original).await?));
        }
        let draft = credit.as_invoice();
        let tara = self.country(client_country(&draft.client)).await;
        let auth = self.auth(body::client_name(&draft.client));
        let body = body::credit(auth, &draft, credit, series, &self.config.unit, &tara);
        self.emit("issue credit", &body).await
    }

    /// Storno of a whole invoice (a new document; FGO refuses a second one).
    async fn storno(&self, invoice: &InvoiceRef) -> Result<InvoiceRef, BillingError> {
        let answer = self
            .doc_op(
                "storno invoice",
                "factura/stornare",
                Repeat::Unsafe,
                invoice,
            )
            .await?;
        let doc = answer.factura.ok_or_else(|| missing("Factura"))?;
        Ok(doc.invoice_ref())
    }

    /// Sends one `/factura/emitere` body. Sent once: a lost answer is UnknownOutcome, settled
    /// by reads. The duplicate check by IdExtern stays on as a second guard.
    async fn emit<B: serde::Serialize + Sync>(
        &self,
        op: &'static str,
        body: &B,
    ) -> Result<IssuedInvoice, BillingError> {
        let reply = self
            .post(op, "factura/emitere", Repeat::Unsafe, &self.invoices, body)
            .await?;
        let answer = parse::<serde_json::Value>(&reply, "")?;
        let doc = answer.factura.ok_or_else(|| missing("Factura"))?;
        let invoice = doc.invoice_ref();
        let info = if doc.info_stoc.is_empty() {
            answer.info_stoc
        } else {
            doc.info_stoc
        };
        Ok(IssuedInvoice {
            invoice,
            already_existed: !answer.success,
            stock_after: info
                .into_iter()
                .map(|i| BillingProduct {
                    code: ProductCode(i.cod_conta),
                    name: i.nume,
                    stock: i.stoc.0,
                    vat_rate: None,
                })
                .collect(),
        })
    }

    async fn doc_op(
        &self,
        op: &'static str,
        path: &str,
        repeat: Repeat,
        invoice: &InvoiceRef,
    ) -> Result<reply::Answer<serde_json::Value>, BillingError> {
        let body = DocBody {
            auth: self.auth(&invoice.number),
            numar: &invoice.number,
            serie: &invoice.series,
        };
        let reply = self.post(op, path, repeat, &self.invoices, &body).await?;
        parse(&reply, &invoice.label())
    }
}

fn missing(field: &str) -> BillingError {
    BillingError::InvalidResponse {
        service: SERVICE,
        detail: format!("no {field} in the answer"),
    }
}

/// The country of a draft's client, as the shop wrote it.
fn client_country(client: &punte_core::client::Client) -> &str {
    match client {
        punte_core::client::Client::Person { address, .. }
        | punte_core::client::Client::Company { address, .. } => address.country.as_str(),
    }
}
