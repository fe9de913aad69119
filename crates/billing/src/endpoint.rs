//! Base URLs: production hosts are reached over HTTPS only; plain HTTP is accepted solely for
//! loopback hosts, so tests and the demo can point at the local simulators without ever letting a
//! credential cross the network in clear text.

use reqwest::Url;

use crate::error::BillingError;

/// Parses `base` and refuses anything but `https://…` or `http://` on a loopback host. The result
/// always ends with `/`, so joining a relative path keeps the base's own path.
pub fn base_url(base: &str) -> Result<Url, BillingError> {
    let refuse = || BillingError::InsecureUrl {
        url: base.to_owned(),
    };
    let mut url = Url::parse(base).map_err(|_| refuse())?;
    let host = url.host_str().unwrap_or_default();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    let ok = match url.scheme() {
        "https" => !host.is_empty(),
        "http" => loopback,
        _ => false,
    };
    if !ok || !url.username().is_empty() || url.password().is_some() {
        return Err(refuse());
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

/// `base` joined with a relative `path` (no leading slash).
pub fn join(base: &Url, path: &str) -> Url {
    base.join(path.trim_start_matches('/'))
        .unwrap_or_else(|_| base.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        assert!(base_url("https://ws.smartbill.ro/SBORO/api").is_ok());
        assert!(base_url("http://127.0.0.1:4000/api").is_ok());
        assert!(base_url("http://[::1]:4000/api").is_ok());
        assert!(base_url("http://localhost:4000/v1").is_ok());
        for bad in [
            "http://ws.smartbill.ro/SBORO/api",
            "http://10.0.0.5/api",
            "ftp://127.0.0.1/api",
            "https://user:pw@api.fgo.ro/v1",
            "not a url",
        ] {
            assert!(
                matches!(base_url(bad), Err(BillingError::InsecureUrl { .. })),
                "{bad} must be refused"
            );
        }
    }

    #[test]
    fn join_keeps_the_base_path() {
        let base = base_url("https://ws.smartbill.ro/SBORO/api").unwrap();
        assert_eq!(
            join(&base, "/invoice/v2").as_str(),
            "https://ws.smartbill.ro/SBORO/api/invoice/v2"
        );
    }
}
