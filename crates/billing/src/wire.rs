//! Wire helpers shared by the three clients: decimals written as exact JSON number text and read
//! from numbers or strings without passing through `f64`, and service texts reduced to one plain
//! sentence (SmartBill puts HTML in `errorText`; FGO sometimes appends a .NET stack trace).

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// A decimal serialized as a JSON number with its exact digits (`12.50` → `12.5`, `2` → `2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Num(pub Decimal);

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let text = self.0.normalize().to_string();
        let raw = RawValue::from_string(text).map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

/// A decimal read from a JSON number or a numeric string (`8`, `12.5`, `"200.00"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WireDecimal(pub Decimal);

impl<'de> Deserialize<'de> for WireDecimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(d)?;
        let text = raw.get().trim().trim_matches('"');
        parse_decimal(text)
            .map(WireDecimal)
            .ok_or_else(|| serde::de::Error::custom(format!("not a decimal: {text}")))
    }
}

fn parse_decimal(text: &str) -> Option<Decimal> {
    if text.is_empty() || text == "null" {
        return Some(Decimal::ZERO);
    }
    text.parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(text).ok())
}

/// The first sentence of a service message as plain text: tags dropped, entities decoded,
/// whitespace collapsed, anything after the first sentence end (or a line break) cut off.
#[must_use]
pub fn first_sentence(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut in_tag = false;
    let mut tag = String::new();
    for c in text.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                let name = tag.trim_start_matches('/').to_ascii_lowercase();
                if ["br", "div", "p", "li"].iter().any(|t| name.starts_with(t)) {
                    plain.push('\n');
                }
            }
            (true, _) => tag.push(c),
            (false, _) => plain.push(c),
        }
    }
    let plain = plain
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let first_line = plain
        .split(['\n', '\r'])
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    let mut out = String::new();
    let mut chars = first_line.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(c);
        if matches!(c, '.' | '!' | '?') && chars.peek().is_none_or(|n| n.is_whitespace()) {
            break;
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn decimals_keep_their_digits_both_ways() {
        let json = serde_json::to_string(&[Num(d("12.50")), Num(d("2")), Num(d("-0.10"))]).unwrap();
        assert_eq!(json, "[12.5,2,-0.1]");
        let back: Vec<WireDecimal> =
            serde_json::from_str(r#"[8, 12.5, "200.00", "0.1", 1e2]"#).unwrap();
        let want = [d("8"), d("12.5"), d("200.00"), d("0.1"), d("100")];
        assert_eq!(back.iter().map(|w| w.0).collect::<Vec<_>>(), want);
    }

    #[test]
    fn html_error_text_becomes_one_plain_sentence() {
        let text = "Nu ai facut nicio achizitie pentru produsul <b>Tricou M</b>.<br/>Pentru a putea \
                    descarca din stoc, adauga mai intai o intrare (NIR).";
        assert_eq!(
            first_sentence(text),
            "Nu ai facut nicio achizitie pentru produsul Tricou M."
        );
        let hidden = "Unitatea buc nu are factor.<div id=\"moreErrorDetails\"><p>detalii</p></div>";
        assert_eq!(first_sentence(hidden), "Unitatea buc nu are factor.");
        let stack = "System.Exception: Codul unic nu exista.\r\n   at Fgo.PublicApi.X()";
        assert_eq!(
            first_sentence(stack),
            "System.Exception: Codul unic nu exista."
        );
        assert_eq!(
            first_sentence("Stoc disponibil: 2.5 buc"),
            "Stoc disponibil: 2.5 buc",
            "a decimal point is not a sentence end"
        );
    }
}
