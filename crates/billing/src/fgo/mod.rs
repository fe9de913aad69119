//! FGO v7 (`/v1`): every account call a JSON POST authenticated by a SHA-1 hash in the body,
//! strictly one at a time, paced per method group (1/s invoices, 1/30 s article list, 1/5 s
//! other article calls); VAT rates come from the public `GET /nomenclator/tva`. Issuing uses
//! `VerificareDuplicat` + `IdExtern`, so it is safe to repeat; storno is not.

mod api;
mod body;
pub mod county;
mod reply;

use std::time::Duration;

use punte_core::invoice::InvoiceDraft;
use punte_core::product::{BillingProduct, ProductCode};
use reqwest::Url;
use serde::Serialize;
use tokio::sync::Mutex;

use crate::Secret;
use crate::endpoint::{base_url, join};
use crate::error::BillingError;
use crate::http::{Http, Options, Repeat, Reply};
use crate::limit::{Limiter, Rate};
use crate::model::{InvoiceRef, IssuedInvoice, VatRateInfo};
pub use body::hash;
use body::{Auth, DocBody};
use reply::{Article, Gestiune, Page, SERVICE, judge, parse};
use reply::{nomenclature, percent_of};

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
    /// Invoice series (FGO does not list them through the API).
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
}

impl Fgo {
    pub fn new(config: Config, options: Options) -> Result<Self, BillingError> {
        let scale = options.time_scale;
        let base = base_url(&config.base_url)?;
        Ok(Self {
            http: Http::for_base(SERVICE, options, &base)?,
            base,
            invoices: Limiter::new(INVOICE_RATE.scaled(scale)),
            list: Limiter::new(LIST_RATE.scaled(scale)),
            articles: Limiter::new(ARTICLE_RATE.scaled(scale)),
            nomenclatures: Limiter::new(NOMENCLATURE_RATE.scaled(scale)),
            serial: Mutex::new(()),
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
    ) -> Result<Vec<reply::NomenclatureItem>, BillingError> {
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

    async fn article_page(&self, page: u64) -> Result<Page<Article>, BillingError> {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct ListBody<'a> {
            #[serde(flatten)]
            auth: Auth<'a>,
            nr_pagina: u64,
            nr_articole: u64,
        }
        let body = ListBody {
            auth: self.auth(""),
            nr_pagina: page,
            nr_articole: PAGE,
        };
        let reply = self
            .post(
                "list articles",
                "articol/list",
                Repeat::Safe,
                &self.list,
                &body,
            )
            .await?;
        parse::<Page<Article>>(&reply, "")?
            .result
            .ok_or_else(|| missing("Result"))
    }

    async fn article(&self, code: &str) -> Result<Option<Article>, BillingError> {
        #[derive(Serialize)]
        #[serde(rename_all = "PascalCase")]
        struct GetBody<'a> {
            #[serde(flatten)]
            auth: Auth<'a>,
            cod_articol: &'a str,
        }
        let body = GetBody {
            auth: self.auth(""),
            cod_articol: code,
        };
        let reply = self
            .post(
                "read article",
                "articol/get",
                Repeat::Safe,
                &self.articles,
                &body,
            )
            .await?;
        match parse::<Article>(&reply, "") {
            Ok(a) => Ok(a.result),
            Err(BillingError::ProductUnknown { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// FGO reports one `Stoc` per article (its total; no per-gestiune breakdown is documented).
    async fn stock_of(
        &self,
        codes: Option<&[ProductCode]>,
    ) -> Result<Vec<BillingProduct>, BillingError> {
        let mut found = Vec::new();
        match codes {
            // `articol/get` is paced at 1/5 s, a list page at 1/30 s: few codes go one by one.
            Some(codes) if codes.len() <= 5 => {
                for c in codes {
                    found.extend(self.article(c.as_str()).await?);
                }
            }
            _ => {
                let mut page = 1;
                loop {
                    let p = self.article_page(page).await?;
                    let got = p.list.len() as u64;
                    found.extend(p.list);
                    let total = p.total.unwrap_or(0);
                    if got < PAGE || page * PAGE >= total {
                        break;
                    }
                    page += 1;
                }
            }
        }
        Ok(found
            .into_iter()
            .filter_map(|a| {
                let code = a.cod_conta.filter(|c| !c.is_empty())?;
                let wanted = codes.is_none_or(|cs| cs.iter().any(|c| c.as_str() == code));
                wanted.then_some(BillingProduct {
                    code: ProductCode(code),
                    name: a.nume,
                    stock: a.stoc.0,
                })
            })
            .collect())
    }

    async fn issue(
        &self,
        draft: &InvoiceDraft,
        series: &str,
    ) -> Result<IssuedInvoice, BillingError> {
        let auth = self.auth(body::client_name(&draft.client));
        let body = body::invoice(auth, draft, series, &self.config.unit);
        // Duplicate check by IdExtern: a repeat returns the existing invoice, never a second one.
        let reply = self
            .post(
                "issue invoice",
                "factura/emitere",
                Repeat::Safe,
                &self.invoices,
                &body,
            )
            .await?;
        let answer = parse::<serde_json::Value>(&reply, "")?;
        let doc = answer.factura.ok_or_else(|| missing("Factura"))?;
        Ok(IssuedInvoice {
            invoice: InvoiceRef {
                series: doc.serie,
                number: doc.numar,
                link: doc.link,
            },
            already_existed: !answer.success,
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
