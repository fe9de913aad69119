//! What `connections` shows of the saved profile: the non-secret fields, and the *names* of the
//! secrets the keychain holds (never their value).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use punte_engine::SecretStore;
use punte_engine::secrets::{BILLING_SECRET, SHOPIFY_SECRET};
use punte_store::ServiceKind;
use serde::Serialize;

use super::profile_form::{Auth, billing_secret_name};
use super::profile_store::{self as saved, CLIENT_ID_ENTRY, Profile};

/// One saved connection as the UI sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConnectionView {
    pub kind: ServiceKind,
    pub fields: BTreeMap<String, String>,
    /// Names of the secret fields with a value in the keychain (never the value).
    pub secrets_saved: Vec<&'static str>,
    pub tested_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConnectionsView {
    pub shopify: Option<ConnectionView>,
    pub billing: Option<ConnectionView>,
    /// A billing connection was saved but the company's VAT rates could not be read then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vat_warning: Option<super::profile_form::ProfileError>,
}

/// The view of the saved profile.
pub fn views(p: &Profile, secrets: &dyn SecretStore) -> ConnectionsView {
    let shopify = p.shopify.as_ref().map(|s| {
        let mut fields = BTreeMap::from([
            ("shop_domain".to_owned(), s.domain.clone()),
            (
                "auth".to_owned(),
                if s.auth == Auth::Dev { "dev" } else { "legacy" }.to_owned(),
            ),
        ]);
        if let Some(id) = s.location_id {
            fields.insert("location_id".into(), id.to_string());
        }
        if s.auth == Auth::Dev
            && let Ok(Some(id)) = secrets.get(CLIENT_ID_ENTRY)
        {
            fields.insert("client_id".into(), id);
        }
        let saved = saved::has_secret(secrets, SHOPIFY_SECRET);
        ConnectionView {
            kind: ServiceKind::Shopify,
            fields,
            secrets_saved: if saved {
                vec![s.auth.secret_name()]
            } else {
                Vec::new()
            },
            tested_at: s.tested_at,
        }
    });
    let billing = p.billing.as_ref().map(|b| {
        let mut fields = BTreeMap::from([("cif".to_owned(), b.cif.clone())]);
        if let Some(e) = &b.email {
            fields.insert("email".into(), e.clone());
        }
        if let Some(c) = &b.cod_unic {
            fields.insert("cod_unic".into(), c.clone());
        }
        let saved = saved::has_secret(secrets, BILLING_SECRET);
        ConnectionView {
            kind: b.kind,
            fields,
            secrets_saved: if saved {
                vec![billing_secret_name(b.kind)]
            } else {
                Vec::new()
            },
            tested_at: b.tested_at,
        }
    });
    ConnectionsView {
        shopify,
        billing,
        vat_warning: None,
    }
}
