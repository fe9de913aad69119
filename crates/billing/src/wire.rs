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

/// A service message as plain text, verbatim otherwise: `<script>`/`<style>` content and
/// elements hidden with `display:none` dropped, other tags removed (block tags become a space,
/// inline ones join),
/// entities decoded, whitespace collapsed. What a merchant sees of a message the client does not
/// recognise.
#[must_use]
pub fn plain_text(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    // Tag names whose content is skipped, innermost last (script, style, hidden elements).
    let mut skipping: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        if skipping.is_empty() {
            plain.push_str(&rest[..open]);
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('>') else {
            // A lone '<' is text, not a tag.
            if skipping.is_empty() {
                plain.push('<');
            }
            rest = after;
            continue;
        };
        let tag = &after[..close];
        rest = &after[close + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            if skipping.is_empty() {
                plain.push('<');
                plain.push_str(tag);
                plain.push('>');
            }
            continue;
        }
        let self_closing = tag.ends_with('/')
            || matches!(
                name.as_str(),
                "br" | "hr" | "img" | "input" | "meta" | "link"
            );
        if closing {
            if let Some(at) = skipping.iter().rposition(|n| *n == name) {
                skipping.truncate(at);
            }
        } else if !self_closing && (hides(&name, tag) || !skipping.is_empty()) {
            skipping.push(name.clone());
        }
        if skipping.is_empty() && is_block(&name) {
            plain.push(' ');
        }
    }
    if skipping.is_empty() {
        plain.push_str(rest);
    }
    decode_entities(&plain)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Tags that break a line (a space in plain text); inline tags (`<b>`, `<span>`) join.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "br" | "p"
            | "div"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "hr"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "body"
            | "html"
            | "title"
            | "center"
            | "pre"
            | "blockquote"
    )
}

/// Whether an opening tag starts content a reader never sees.
fn hides(name: &str, tag: &str) -> bool {
    let lower = tag.to_ascii_lowercase();
    let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(name, "script" | "style" | "head" | "template")
        || compact.contains("display:none")
        || lower
            .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '/' | '='))
            .any(|w| w == "hidden")
}

fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| entity(&after[..e]).map(|c| (c, e)));
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    Some(match name {
        "nbsp" => ' ',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "amp" => '&',
        _ => {
            let code = name.strip_prefix('#')?;
            let n = match code.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => code.parse().ok()?,
            };
            char::from_u32(n)?
        }
    })
}

/// A string or a number, as text (Oblio writes numbers and flags as strings in lists while
/// its examples send integers; FGO's `Numar` is a string, read tolerantly).
pub fn text_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::Bool(b) => u8::from(b).to_string(),
        _ => String::new(),
    })
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
    fn service_text_becomes_plain_text_verbatim() {
        assert_eq!(
            plain_text("<script>alert(1)</script><b>Eroare</b>"),
            "Eroare",
            "script content is dropped, the text kept"
        );
        assert_eq!(
            plain_text("<style>b{color:red}</style>Stoc <b>insuficient</b> &amp; gata"),
            "Stoc insuficient & gata"
        );
        let text = "Nu ai facut nicio achizitie pentru produsul <b>Tricou M</b>.<br/>Pentru a putea \
                    descarca din stoc, adauga mai intai o intrare (NIR).";
        assert_eq!(
            plain_text(text),
            "Nu ai facut nicio achizitie pentru produsul Tricou M. Pentru a putea descarca din \
             stoc, adauga mai intai o intrare (NIR).",
            "every sentence is kept"
        );
        let hidden = "Unitatea buc nu are factor.<div id=\"moreErrorDetails\" \
                      style=\"display:none\"><p>detalii</p><p>mai multe</p></div> Gata.";
        assert_eq!(plain_text(hidden), "Unitatea buc nu are factor. Gata.");
        assert_eq!(
            plain_text("a < b si 2 > 1 &#259;&#x21;"),
            "a < b si 2 > 1 ă!"
        );
        assert_eq!(
            plain_text("Stoc disponibil: 2.5 buc"),
            "Stoc disponibil: 2.5 buc"
        );
        assert_eq!(plain_text("&unknown; & x"), "&unknown; & x");
    }
}
