//! SmartBill Cloud v1 (`/SBORO/api`): Basic auth with e-mail and token, JSON bodies that follow
//! SmartBill's own OpenAPI schema, at most 30 calls per 10 s per token (we keep under 27 per
//! 11 s so the 10-minute block never trips). SmartBill has no idempotency key, so issuing and
//! storno are never repeated blindly; a lost answer is settled by reads only (`recover`).

mod api;
mod body;
mod collect;
mod recover;
mod reply;

use std::time::Duration;

use chrono::Utc;
use punte_core::credit_note::CreditDraft;
use punte_core::invoice::InvoiceDraft;
use punte_core::product::{BillingProduct, ProductCode};
use reqwest::Url;
use reqwest::header::ACCEPT;

use crate::Secret;
use crate::endpoint::{base_url, join};
use crate::error::BillingError;
use crate::http::{Http, Repeat, Reply, Verdict};
use crate::limit::{Limiter, Rate};
use crate::model::{InvoiceRef, IssuedInvoice, SeriesInfo};
use crate::options::Options;
use reply::{Context, Issued, SERVICE, SeriesList, StockList, Taxes, parse};

pub const PRODUCTION: &str = "https://ws.smartbill.ro/SBORO/api";
/// 30 calls / 10 s per token, with margin for clock and transit differences.
pub const RATE: Rate = Rate::new(27, Duration::from_secs(11));

#[derive(Debug, Clone)]
pub struct Config {
    pub base_url: String,
    pub email: String,
    pub token: Secret,
    /// The company's CIF ("RO12345678"), sent on every call.
    pub cif: String,
    /// Measuring unit on invoice lines; case-sensitive in SmartBill ("buc").
    pub unit: String,
}

pub struct SmartBill {
    config: Config,
    base: Url,
    http: Http,
    limiter: Limiter,
}

fn pass(_: &Reply) -> Verdict {
    Verdict::Pass
}

impl SmartBill {
    pub fn new(config: Config, options: Options) -> Result<Self, BillingError> {
        let scale = options.time_scale;
        let base = base_url(&config.base_url)?;
        let http = Http::for_base(SERVICE, options, &base)?;
        // SmartBill counts per token; the e-mail and company name the account well enough.
        let group = format!("smartbill:{}:{}", config.email, config.cif);
        Ok(Self {
            limiter: http.limiter(&group, RATE.scaled(scale)),
            http,
            base,
            config,
        })
    }

    fn cx<'a>(&'a self, series: &'a str, warehouse: &'a str) -> Context<'a> {
        Context {
            cif: &self.config.cif,
            series,
            warehouse,
            invoice: "",
        }
    }

    async fn get(
        &self,
        op: &'static str,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<Reply, BillingError> {
        let url = join(&self.base, path);
        let build = |c: &reqwest::Client| {
            c.get(url.clone())
                .basic_auth(&self.config.email, Some(self.config.token.expose()))
                .header(ACCEPT, "application/json")
                .query(&[("cif", self.config.cif.as_str())])
                .query(query)
        };
        self.http
            .call(op, Repeat::Safe, &self.limiter, &build, &pass)
            .await
    }

    async fn post<B: serde::Serialize + Sync>(
        &self,
        op: &'static str,
        path: &str,
        body: &B,
    ) -> Result<Reply, BillingError> {
        let url = join(&self.base, path);
        let build = |c: &reqwest::Client| {
            c.post(url.clone())
                .basic_auth(&self.config.email, Some(self.config.token.expose()))
                .header(ACCEPT, "application/json")
                .json(body)
        };
        self.http
            .call(op, Repeat::Unsafe, &self.limiter, &build, &pass)
            .await
    }

    fn today() -> String {
        Utc::now()
            .with_timezone(&chrono_tz::Europe::Bucharest)
            .format("%Y-%m-%d")
            .to_string()
    }

    async fn stock_list(
        &self,
        warehouse: Option<&str>,
        code: Option<&str>,
    ) -> Result<StockList, BillingError> {
        let today = Self::today();
        let mut q = vec![("date", today.as_str())];
        q.extend(warehouse.map(|w| ("warehouseName", w)));
        q.extend(code.map(|c| ("productCode", c)));
        let reply = self.get("read stock", "stocks", &q).await?;
        parse(&reply, self.cx("", warehouse.unwrap_or_default()))
    }

    async fn read_series(&self) -> Result<Vec<SeriesInfo>, BillingError> {
        let reply = self.get("list series", "series", &[("type", "f")]).await?;
        let list: SeriesList = parse(&reply, self.cx("", ""))?;
        Ok(list
            .list
            .into_iter()
            .map(|s| SeriesInfo {
                name: s.name,
                next_number: s.next.map(|n| n.to_string()),
            })
            .collect())
    }

    async fn stock_of(
        &self,
        warehouse: &str,
        codes: Option<&[ProductCode]>,
    ) -> Result<Vec<BillingProduct>, BillingError> {
        let mut lists = Vec::new();
        match codes {
            // A few codes: one filtered call each is cheaper than the whole warehouse.
            Some(codes) if codes.len() <= 3 => {
                for c in codes {
                    lists.push(self.stock_list(Some(warehouse), Some(c.as_str())).await?);
                }
            }
            _ => lists.push(self.stock_list(Some(warehouse), None).await?),
        }
        let mut out: Vec<BillingProduct> = Vec::new();
        // A code listed twice in the warehouse (several measuring units) is summed.
        let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        let products = lists
            .into_iter()
            .flat_map(|l| l.list)
            .filter(|w| w.warehouse.name == warehouse)
            .flat_map(|w| w.products);
        for p in products.filter(|p| !p.product_code.is_empty()) {
            if codes.is_some_and(|cs| !cs.iter().any(|c| c.as_str() == p.product_code)) {
                continue;
            }
            match at.get(&p.product_code) {
                Some(&i) => out[i].stock += p.quantity.0,
                None => {
                    at.insert(p.product_code.clone(), out.len());
                    out.push(BillingProduct {
                        code: ProductCode(p.product_code),
                        name: p.product_name,
                        stock: p.quantity.0,
                        // V1's stock report carries no VAT (the product's rate is a V3 read,
                        // which needs a separate Bearer token).
                        vat_rate: None,
                    });
                }
            }
        }
        Ok(out)
    }

    async fn issue(
        &self,
        draft: &InvoiceDraft,
        series: &str,
    ) -> Result<IssuedInvoice, BillingError> {
        let body = body::invoice(draft, &self.config.cif, series, &self.config.unit);
        let reply = self.post("issue invoice", "invoice/v2", &body).await?;
        let warehouse = draft.lines.iter().find_map(|l| l.warehouse.as_deref());
        let issued: Issued = parse(&reply, self.cx(series, warehouse.unwrap_or_default()))?;
        Ok(IssuedInvoice::created(issued.into()))
    }

    /// A refund's credit document: SmartBill's own storno when it is the whole invoice, an
    /// invoice of negative lines otherwise.
    async fn credit(
        &self,
        credit: &CreditDraft,
        series: &str,
    ) -> Result<IssuedInvoice, BillingError> {
        if credit.whole {
            let original = InvoiceRef::new(&credit.invoice_series, &credit.invoice_number);
            return Ok(IssuedInvoice::created(self.reverse(&original).await?));
        }
        // With `useStock` SmartBill wants a warehouse on every product line, so one document
        // cannot put some returned units back in stock and leave others out: the merchant
        // decides (needs-review), rather than Punte restocking what Shopify did not.
        let product = |l: &&punte_core::invoice::DraftLine| {
            l.kind == punte_core::invoice::DraftLineKind::Product
        };
        if credit.use_stock
            && credit
                .lines
                .iter()
                .filter(product)
                .any(|l| l.warehouse.is_none())
        {
            return Err(BillingError::NotSupported {
                service: SERVICE,
                operation: "credit restocking only some lines",
            });
        }
        let draft = credit.as_invoice();
        let label = credit.invoice_label();
        let body = body::credit(
            &draft,
            &label,
            credit.refund_id,
            &self.config.cif,
            series,
            &self.config.unit,
        );
        let reply = self.post("issue credit", "invoice/v2", &body).await?;
        let warehouse = draft.lines.iter().find_map(|l| l.warehouse.as_deref());
        let cx = Context {
            invoice: &label,
            ..self.cx(series, warehouse.unwrap_or_default())
        };
        let issued: Issued = parse(&reply, cx)?;
        Ok(IssuedInvoice::created(issued.into()))
    }

    async fn reverse(&self, invoice: &InvoiceRef) -> Result<InvoiceRef, BillingError> {
        let body = body::ReverseBody {
            company_vat_code: &self.config.cif,
            series_name: &invoice.series,
            number: &invoice.number,
        };
        let reply = self
            .post("storno invoice", "invoice/reverse", &body)
            .await?;
        let label = invoice.label();
        let cx = Context {
            invoice: &label,
            ..self.cx(&invoice.series, "")
        };
        let issued: Issued = parse(&reply, cx)?;
        Ok(issued.into())
    }

    async fn cancel(&self, invoice: &InvoiceRef) -> Result<(), BillingError> {
        let url = join(&self.base, "invoice/cancel");
        let build = |c: &reqwest::Client| {
            c.put(url.clone())
                .basic_auth(&self.config.email, Some(self.config.token.expose()))
                .header(ACCEPT, "application/json")
                .query(&[
                    ("cif", self.config.cif.as_str()),
                    ("seriesname", invoice.series.as_str()),
                    ("number", invoice.number.as_str()),
                ])
        };
        // Cancelling twice answers "already cancelled" without an error: safe to repeat.
        let reply = self
            .http
            .call("cancel invoice", Repeat::Safe, &self.limiter, &build, &pass)
            .await?;
        let label = invoice.label();
        let cx = Context {
            invoice: &label,
            ..self.cx(&invoice.series, "")
        };
        parse::<serde_json::Value>(&reply, cx).map(|_| ())
    }
}
