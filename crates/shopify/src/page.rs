//! The wire shape of a Relay connection page (`nodes` + `pageInfo`) and the loop that follows
//! `endCursor` until `hasNextPage` is false.

use serde::Deserialize;

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
