//! The wire shape of a Relay connection page (`nodes` + `pageInfo`), and how a page that
//! Shopify refuses as too costly is asked for again, smaller.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::answer::Withheld;
use crate::transport::Operation;
use crate::{ShopifyClient, ShopifyError};

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Connection<T> {
    pub nodes: Vec<T>,
    pub page_info: PageInfo,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

impl PageInfo {
    /// The cursor of the next page, or None at the end (or if Shopify gave no cursor).
    pub(crate) fn next(&self) -> Option<String> {
        self.end_cursor.clone().filter(|_| self.has_next_page)
    }
}

/// Page sizes follow Shopify's calculated cost as documented and observed, but its exact rules
/// are not published: a page refused with MAX_COST_EXCEEDED is asked for again at half the size
/// (Some(new size)); None when the error is another one or the page is already a single item.
pub(crate) fn smaller_page(first: u32, error: &ShopifyError) -> Option<u32> {
    match error {
        ShopifyError::QueryTooCostly { .. } if first > 1 => Some(first / 2),
        _ => None,
    }
}

impl ShopifyClient {
    /// One page of `op`, with the variables `vars(first)`. A page refused as too costly is asked
    /// for again at half the size, and `first` keeps the size that worked for the next pages.
    pub(crate) async fn page<T: DeserializeOwned>(
        &self,
        op: &Operation,
        first: &mut u32,
        vars: impl Fn(u32) -> Value,
    ) -> Result<T, ShopifyError> {
        loop {
            match self.transport.execute(op, vars(*first)).await {
                Ok(d) => return Ok(d),
                Err(e) => match smaller_page(*first, &e) {
                    Some(n) => *first = n,
                    None => return Err(e),
                },
            }
        }
    }

    /// As [`ShopifyClient::page`], with the fields Shopify withheld from the answer.
    pub(crate) async fn page_partial<T: DeserializeOwned>(
        &self,
        op: &Operation,
        first: &mut u32,
        vars: impl Fn(u32) -> Value,
    ) -> Result<(T, Vec<Withheld>), ShopifyError> {
        loop {
            match self.transport.execute_partial(op, vars(*first)).await {
                Ok(d) => return Ok(d),
                Err(e) => match smaller_page(*first, &e) {
                    Some(n) => *first = n,
                    None => return Err(e),
                },
            }
        }
    }
}

/// Quotes a search value for Shopify's query syntax: single quotes, with `\` and `'` escaped.
pub(crate) fn quote(value: &str) -> String {
    let escaped = value.replace('\\', "\\\\").replace('\'', "\\'");
    format!("'{escaped}'")
}

#[cfg(test)]
mod tests {
    use super::{PageInfo, quote};

    #[test]
    fn quoting_and_next_cursor() {
        assert_eq!(quote("AB-12/3"), "'AB-12/3'");
        assert_eq!(quote("it's"), r"'it\'s'");
        let last = PageInfo {
            has_next_page: false,
            end_cursor: Some("c".into()),
        };
        assert_eq!(last.next(), None);
    }
}
