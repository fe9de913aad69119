//! The connection form of the Profile screen (`ConnectionForm`), checked field by field into a
//! typed Shopify or billing form before anything leaves the machine; every refusal names the field
//! to fix (`input.invalid` + `field`, in Romanian and English).

use std::collections::BTreeMap;

use punte_store::ServiceKind;
use serde::Serialize;
use serde_json::Value;

pub use super::profile_error::{ProfileError, bad};

/// How the Shopify app authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Auth {
    /// Dev Dashboard app: client id + client secret.
    Dev,
    /// Legacy custom app: an Admin API `shpat_` token.
    Legacy,
}

impl Auth {
    pub fn secret_name(self) -> &'static str {
        match self {
            Auth::Dev => "client_secret",
            Auth::Legacy => "admin_token",
        }
    }
}

/// The name of the billing service's secret field.
pub fn billing_secret_name(kind: ServiceKind) -> &'static str {
    match kind {
        ServiceKind::SmartBill | ServiceKind::Shopify => "api_token",
        ServiceKind::Oblio => "api_secret",
        ServiceKind::Fgo => "private_key",
    }
}

/// A checked Shopify form. `secret: None` means "use the saved one".
pub struct ShopifyForm {
    pub domain: String,
    pub auth: Auth,
    pub client_id: Option<String>,
    pub location_id: Option<u64>,
    pub secret: Option<String>,
}

/// A checked billing form. `secret: None` means "use the saved one".
pub struct BillingForm {
    pub kind: ServiceKind,
    pub email: Option<String>,
    pub cif: String,
    pub cod_unic: Option<String>,
    /// The warehouse chosen in the first-run billing step (its id); `None`: keep the saved one.
    pub warehouse: Option<String>,
    pub secret: Option<String>,
}

pub enum Checked {
    Shopify(ShopifyForm),
    Billing(BillingForm),
}

/// Parses and checks the form the UI sent; nothing is changed when it is refused.
pub fn check(raw: &Value) -> Result<Checked, ProfileError> {
    let kind: ServiceKind = serde_json::from_value(raw.get("kind").cloned().unwrap_or(Value::Null))
        .map_err(|_| {
            bad(
                "kind",
                "Alegeți serviciul: shopify, smart_bill, oblio sau fgo",
                "Choose the service: shopify, smart_bill, oblio or fgo",
            )
        })?;
    let fields = strings(raw, "fields")?;
    let secrets = strings(raw, "secrets")?;
    let text = |name: &str| fields.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    match kind {
        ServiceKind::Shopify => {
            let auth = match text("auth").unwrap_or("dev") {
                "dev" => Auth::Dev,
                "legacy" => Auth::Legacy,
                _ => {
                    return Err(bad(
                        "auth",
                        "Tipul aplicației este dev sau legacy",
                        "The app type is dev or legacy",
                    ));
                }
            };
            only(&secrets, &[auth.secret_name()])?;
            let domain = shop_domain(text("shop_domain"))?;
            let client_id = match auth {
                Auth::Dev => Some(text("client_id").map(str::to_owned).ok_or_else(|| {
                    bad(
                        "client_id",
                        "Copiați Client ID din Dev Dashboard-ul aplicației",
                        "Copy the Client ID from the app's Dev Dashboard",
                    )
                })?),
                Auth::Legacy => None,
            };
            let location_id = match text("location_id") {
                None => None,
                Some(v) => Some(v.parse::<u64>().map_err(|_| {
                    bad(
                        "location_id",
                        "Alegeți o locație din listă",
                        "Choose a location from the list",
                    )
                })?),
            };
            let secret = secret_value(&secrets, auth.secret_name())?;
            Ok(Checked::Shopify(ShopifyForm {
                domain,
                auth,
                client_id,
                location_id,
                secret,
            }))
        }
        _ => {
            let name = billing_secret_name(kind);
            only(&secrets, &[name])?;
            let (email, cod_unic, cif) = if kind == ServiceKind::Fgo {
                let cod = digits(text("cod_unic")).ok_or_else(|| {
                    bad(
                        "cod_unic",
                        "CodUnic este CUI-ul firmei, doar cifre (fără RO)",
                        "CodUnic is the company's CUI, digits only (no RO)",
                    )
                })?;
                let cif = match text("cif") {
                    None => cod.clone(),
                    Some(c) => cif_value(Some(c))?,
                };
                (None, Some(cod), cif)
            } else {
                let email = text("email").filter(|e| valid_email(e)).ok_or_else(|| {
                    bad(
                        "email",
                        "Scrieți e-mailul contului de facturare",
                        "Enter the billing account's e-mail",
                    )
                })?;
                (Some(email.to_owned()), None, cif_value(text("cif"))?)
            };
            let secret = secret_value(&secrets, name)?;
            let warehouse = text("warehouse").map(str::to_owned);
            if warehouse.as_ref().is_some_and(|w| w.chars().count() > 200) {
                return Err(bad(
                    "warehouse",
                    "Alegeți o gestiune din listă",
                    "Choose a warehouse from the list",
                ));
            }
            Ok(Checked::Billing(BillingForm {
                kind,
                email,
                cif,
                cod_unic,
                warehouse,
                secret,
            }))
        }
    }
}

fn strings(raw: &Value, key: &str) -> Result<BTreeMap<String, String>, ProfileError> {
    match raw.get(key) {
        None | Some(Value::Null) => Ok(BTreeMap::new()),
        Some(v) => serde_json::from_value(v.clone()).map_err(|_| {
            bad(
                key,
                "Câmpurile trebuie să fie text",
                "The fields must be text",
            )
        }),
    }
}

/// Refuses a secret the chosen service does not have (e.g. a token sent as a field of another kind).
fn only(secrets: &BTreeMap<String, String>, allowed: &[&str]) -> Result<(), ProfileError> {
    match secrets.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(bad(
            k,
            "Acest serviciu nu are câmpul acesta",
            "This service has no such field",
        )),
        None => Ok(()),
    }
}

/// A typed secret, or `None` (keep the saved one) when absent or blank.
fn secret_value(
    secrets: &BTreeMap<String, String>,
    name: &str,
) -> Result<Option<String>, ProfileError> {
    let Some(v) = secrets
        .get(name)
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
    else {
        return Ok(None);
    };
    if v.chars().any(char::is_whitespace) || v.len() > 4096 {
        return Err(bad(
            name,
            "Secretul conține spații; copiați-l din nou",
            "The secret contains spaces; copy it again",
        ));
    }
    Ok(Some(v.to_owned()))
}

/// `name.myshopify.com`, also accepted with `https://` and a trailing `/`.
fn shop_domain(raw: Option<&str>) -> Result<String, ProfileError> {
    let refuse = || {
        bad(
            "shop_domain",
            "Scrieți adresa magazinului de forma nume.myshopify.com",
            "Enter the shop address as name.myshopify.com",
        )
    };
    let raw = raw.ok_or_else(refuse)?.to_ascii_lowercase();
    let host = raw.trim_start_matches("https://").trim_end_matches('/');
    let name = host.strip_suffix(".myshopify.com").ok_or_else(refuse)?;
    let ok = !name.is_empty()
        && name.len() <= 60
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(host.to_owned())
    } else {
        Err(refuse())
    }
}

fn valid_email(e: &str) -> bool {
    let mut parts = e.splitn(2, '@');
    let (Some(user), Some(domain)) = (parts.next(), parts.next()) else {
        return false;
    };
    !user.is_empty()
        && domain.contains('.')
        && !e.chars().any(char::is_whitespace)
        && e.len() <= 254
}

fn digits(raw: Option<&str>) -> Option<String> {
    let v: String = raw?.chars().filter(|c| !c.is_whitespace()).collect();
    (v.len() >= 2 && v.len() <= 10 && v.bytes().all(|b| b.is_ascii_digit())).then_some(v)
}

/// A CIF: optional `RO`, then 2–10 digits; kept upper-case without spaces.
fn cif_value(raw: Option<&str>) -> Result<String, ProfileError> {
    let v: String = raw
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let number = v.strip_prefix("RO").unwrap_or(&v);
    if number.len() >= 2 && number.len() <= 10 && number.bytes().all(|b| b.is_ascii_digit()) {
        Ok(v)
    } else {
        Err(bad(
            "cif",
            "CIF-ul are forma RO12345678 sau 12345678",
            "The CIF looks like RO12345678 or 12345678",
        ))
    }
}
