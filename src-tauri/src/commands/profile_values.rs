//! The checks of one preference value from a patch's JSON: each reads the value as its type and
//! refuses it with the field's name and a message in Romanian and English (`input.invalid`), so
//! the patch in `profile_prefs` is a list of fields, each one line or a few.

use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::profile_form::{ProfileError, bad};

/// `v` read as a `T`, or the field's own refusal in both languages.
pub(super) fn parse<T: DeserializeOwned>(
    field: &str,
    v: &Value,
    ro: &str,
    en: &str,
) -> Result<T, ProfileError> {
    serde_json::from_value(v.clone()).map_err(|_| bad(field, ro, en))
}

pub(super) fn yes_no(field: &str, v: &Value) -> Result<bool, ProfileError> {
    parse(
        field,
        v,
        "Valoarea este da sau nu",
        "The value is yes or no",
    )
}

pub(super) fn vat(field: &str, v: &Value) -> Result<Decimal, ProfileError> {
    let (ro, en) = (
        "Cota TVA este un procent între 0 și 100",
        "The VAT rate is a percentage from 0 to 100",
    );
    // As the form shows it: digits, then at most two decimals after "." or "," ("21", "9,5").
    // No exponent ("1e2" is not 100), no sign, no spaces inside.
    let text = match v {
        Value::String(s) => s.trim(),
        _ => return Err(bad(field, ro, en)),
    };
    let (int, frac) = text.split_once(['.', ',']).unwrap_or((text, ""));
    let digits = |s: &str, max: usize| s.len() <= max && s.bytes().all(|b| b.is_ascii_digit());
    let shaped = !int.is_empty()
        && digits(int, 3)
        && digits(frac, 2)
        && (!frac.is_empty() || !text.ends_with(['.', ',']));
    if !shaped {
        return Err(bad(field, ro, en));
    }
    let d: Decimal = format!("{int}.{}", if frac.is_empty() { "0" } else { frac })
        .parse()
        .map_err(|_| bad(field, ro, en))?;
    if d < Decimal::ZERO || d > Decimal::ONE_HUNDRED || d.scale() > 2 {
        return Err(bad(field, ro, en));
    }
    Ok(d.normalize())
}

/// "Unpaid after N days": a whole number of days from 1 to 90.
pub(super) fn cod_days(field: &str, v: &Value) -> Result<u32, ProfileError> {
    let (ro, en) = (
        "Numărul de zile este un număr întreg între 1 și 90",
        "The number of days is a whole number from 1 to 90",
    );
    let days: u32 = parse(field, v, ro, en)?;
    if (1..=90).contains(&days) {
        Ok(days)
    } else {
        Err(bad(field, ro, en))
    }
}

/// A warehouse chosen in a preference: a name, or none.
pub(super) fn warehouse_choice(field: &str, v: &Value) -> Result<Option<String>, ProfileError> {
    parse(
        field,
        v,
        "Alegeți gestiunea din listă",
        "Choose the warehouse from the list",
    )
}

/// `chosen` is none or a warehouse of the list downloaded by the last Test.
pub(super) fn listed_warehouse(
    field: &str,
    chosen: Option<&String>,
    warehouses: &[String],
) -> Result<(), ProfileError> {
    if chosen.is_some_and(|name| !warehouses.contains(name)) {
        return Err(bad(
            field,
            "Gestiunea nu este în lista descărcată; apăsați Testează conexiunea și alegeți din listă",
            "The warehouse is not in the downloaded list; press Test connection and choose from the list",
        ));
    }
    Ok(())
}
