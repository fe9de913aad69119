//! FGO's articles: one page of `/articol/list` (1 call / 30 s), one article by `/articol/get`
//! (1 / 5 s), and the stock of every article or of a few codes, read the cheaper way.

use punte_core::money::VatRate;
use punte_core::product::{BillingProduct, ProductCode};
use serde::Serialize;

use super::body::Auth;
use super::reply::{Article, Page, parse};
use super::{Fgo, PAGE, missing};
use crate::error::BillingError;
use crate::http::Repeat;
use crate::model::StockPage;

impl Fgo {
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

    /// Page `page` (from 0) of `/articol/list`, as stock.
    pub(super) async fn stock_page_of(&self, page: u64) -> Result<StockPage, BillingError> {
        let p = self.article_page(page + 1).await?;
        let got = p.list.len() as u64;
        let last = got < PAGE || (page + 1) * PAGE >= p.total.unwrap_or(0);
        Ok(StockPage {
            products: as_stock(p.list, None),
            last,
        })
    }

    /// FGO reports one `Stoc` per article (its total; no per-gestiune breakdown is documented).
    pub(super) async fn stock_of(
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
        Ok(as_stock(found, codes))
    }
}

/// Articles with a code as stock, only `codes` when given.
fn as_stock(articles: Vec<Article>, codes: Option<&[ProductCode]>) -> Vec<BillingProduct> {
    articles
        .into_iter()
        .filter_map(|a| {
            let code = a.cod_conta.filter(|c| !c.is_empty())?;
            let wanted = codes.is_none_or(|cs| cs.iter().any(|c| c.as_str() == code));
            wanted.then_some(BillingProduct {
                code: ProductCode(code),
                name: a.nume,
                stock: a.stoc.0,
                vat_rate: a.cota_tva.map(|v| VatRate(v.0)),
            })
        })
        .collect()
}
