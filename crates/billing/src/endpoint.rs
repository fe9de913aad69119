//! Base URLs: production hosts are reached over HTTPS only; plain HTTP is accepted solely for
//! loopback hosts, so tests and the demo can point at the local simulators without ever letting a
//! credential cross the network in clear text.

use reqwest::Url;

use crate::error::BillingError;

/// Parses `base` and refuses anything but `https://…` or `http://` on a loopback host. The result
/// always ends with `/`, so joining a relative path keeps the base's own path.
pub fn base_url(base: &str) -> Result<Url, BillingError> {
    let refuse = || BillingError::InsecureUrl { url: shown(base) };
    let mut url = Url::parse(base).map_err(|_| refuse())?;
    let host = url.host_str().unwrap_or_default();
    let loopback = is_loopback(host);
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

/// Whether `host` (as in a URL, IPv6 possibly bracketed) is this machine.
pub fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `raw` as it may appear in a message: no `user:password@`, no query or fragment (where tokens
/// tend to hide). Text that is not a URL is cut at the first `@`, `?` or `#` after the scheme.
fn shown(raw: &str) -> String {
    if let Ok(mut url) = Url::parse(raw.trim())
        && url.has_host()
    {
        let _ = url.set_username("");
        let _ = url.set_password(None);
        url.set_query(None);
        url.set_fragment(None);
        return url.to_string();
    }
    let (scheme, rest) = raw.split_once("://").unwrap_or(("", raw));
    let rest = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    if scheme.is_empty() {
        rest.to_owned()
    } else {
        format!("{scheme}://{rest}")
    }
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
    fn a_refused_url_never_shows_its_credentials() {
        for (raw, shown) in [
            (
                "https://user:hunter2@api.fgo.ro/v1?key=sekret#frag",
                "https://api.fgo.ro/v1",
            ),
            (
                "http://mail%40x.ro:tok3n@ws.smartbill.ro/api",
                "http://ws.smartbill.ro/api",
            ),
            (
                "ftp://admin:pw@127.0.0.1/api?token=abc",
                "ftp://127.0.0.1/api",
            ),
            (
                "http://user:pass@exa mple.ro/x?token=abc",
                "http://exa mple.ro/x",
            ),
            ("mailto:user:pw@x.ro?token=abc", "x.ro"),
        ] {
            let err = base_url(raw).expect_err(raw);
            let BillingError::InsecureUrl { url } = &err else {
                panic!("{raw}: {err:?}");
            };
            assert_eq!(url, shown, "{raw}");
            for lang in [crate::Lang::En, crate::Lang::Ro] {
                let text = err.message(lang);
                for secret in ["hunter2", "sekret", "tok3n", "pw@", "abc", "pass"] {
                    assert!(!text.contains(secret), "{raw}: {text}");
                }
            }
            assert!(!format!("{err:?}").contains("hunter2"));
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
