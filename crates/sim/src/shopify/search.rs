//! Shopify's search syntax for the `query:` argument: `field:value`, comparators `:>`, `:>=`, `:<`,
//! `:<=`, single or double quotes, `-`/`NOT` negation, implicit AND and explicit OR.

use chrono::{DateTime, NaiveDate, SubsecRound, Timelike, Utc};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Op {
    Eq,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    pub negated: bool,
    pub field: Option<String>,
    pub op: Op,
    pub value: String,
}

/// A parsed query: a disjunction of conjunctions.
#[derive(Clone, Debug, Default)]
pub struct Query {
    pub any_of: Vec<Vec<Term>>,
}

/// A field's value on a record, as the matcher sees it.
pub enum Value {
    Text(Option<String>),
    Time(DateTime<Utc>),
    Int(i64),
    /// Several texts (e.g. the SKUs of a product's variants): matches when any does.
    Texts(Vec<String>),
    /// The field is unknown for this resource: Shopify ignores such filters.
    Unknown,
}

impl Query {
    pub fn parse(input: &str) -> Self {
        let mut any_of = vec![Vec::new()];
        let mut negate_next = false;
        for token in tokens(input) {
            match token.as_str() {
                "OR" => any_of.push(Vec::new()),
                "AND" => {}
                "NOT" => negate_next = true,
                _ => {
                    let mut term = term(&token);
                    term.negated ^= negate_next;
                    negate_next = false;
                    if let Some(group) = any_of.last_mut() {
                        group.push(term);
                    }
                }
            }
        }
        any_of.retain(|g| !g.is_empty());
        Self { any_of }
    }

    /// True when the record (described by `field`) satisfies the query.
    pub fn matches(&self, field: impl Fn(Option<&str>) -> Value) -> bool {
        self.any_of.is_empty()
            || self
                .any_of
                .iter()
                .any(|group| group.iter().all(|t| t.matches(&field)))
    }
}

impl Term {
    fn matches(&self, field: &impl Fn(Option<&str>) -> Value) -> bool {
        let hit = match field(self.field.as_deref()) {
            Value::Unknown => return true,
            Value::Texts(all) => all.into_iter().any(|v| self.text_matches(Some(v))),
            Value::Text(v) => self.text_matches(v),
            Value::Time(t) => match parse_time(&self.value) {
                Some(want) => compare(self.op, time_order(self.op, t, want)),
                None => false,
            },
            Value::Int(n) => match self.value.parse::<i64>() {
                Ok(want) => compare(self.op, n.cmp(&want)),
                Err(_) => false,
            },
        };
        hit != self.negated
    }

    /// Text fields match case-insensitively (as Shopify's search does), so clients must still
    /// compare SKUs exactly themselves; a trailing `*` is a prefix match.
    fn text_matches(&self, v: Option<String>) -> bool {
        let v = v.unwrap_or_default().to_lowercase();
        let want = self.value.to_lowercase();
        match (self.op, self.field.is_some()) {
            (Op::Eq, true) => want
                .strip_suffix('*')
                .map_or(v == want, |p| v.starts_with(p)),
            (Op::Eq, false) => v.contains(&want),
            _ => false,
        }
    }
}

/// Shopify answers times to the second but keeps fractions of it. On 2026-07 (before 2026-10's
/// "exclusive `>` timestamp filters exclude the full second"), `>T` compares with T.000000, so a
/// record from later in second T matches `>T` (and `<=T`); `>=`, `<` and `=` work to the second.
fn time_order(op: Op, t: DateTime<Utc>, want: DateTime<Utc>) -> std::cmp::Ordering {
    match op {
        Op::Gt => t.cmp(&want),
        _ if want.nanosecond() != 0 => t.cmp(&want),
        _ => t.trunc_subsecs(0).cmp(&want),
    }
}

fn compare(op: Op, ord: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    matches!(
        (op, ord),
        (Op::Eq, Equal)
            | (Op::Gt, Greater)
            | (Op::Ge, Greater | Equal)
            | (Op::Lt, Less)
            | (Op::Le, Less | Equal)
    )
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
    Some(day.and_hms_opt(0, 0, 0)?.and_utc())
}

/// Splits on whitespace outside quotes; quotes are kept for `term` to strip.
fn tokens(input: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut chars = input.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (_, '\\') => {
                cur.push('\\');
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            (None, '\'' | '"') => {
                quote = Some(c);
                cur.push(c);
            }
            (Some(q), _) if c == q => {
                quote = None;
                cur.push(c);
            }
            (None, c) if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn term(token: &str) -> Term {
    let (negated, rest) = match token.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, token),
    };
    let split = first_unescaped_colon(rest);
    let Some(idx) = split else {
        return Term {
            negated,
            field: None,
            op: Op::Eq,
            value: unquote(rest),
        };
    };
    let field = rest[..idx].to_owned();
    let after = &rest[idx + 1..];
    let (op, value) = [(">=", Op::Ge), ("<=", Op::Le), (">", Op::Gt), ("<", Op::Lt)]
        .into_iter()
        .find_map(|(p, op)| after.strip_prefix(p).map(|v| (op, v)))
        .unwrap_or((Op::Eq, after));
    Term {
        negated,
        field: Some(field),
        op,
        value: unquote(value),
    }
}

fn first_unescaped_colon(s: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '\'' | '"' if !escaped => return None,
            ':' if !escaped => return Some(i),
            _ => escaped = false,
        }
    }
    None
}

fn unquote(v: &str) -> String {
    let inner = ['\'', '"']
        .into_iter()
        .find_map(|q| v.strip_prefix(q).and_then(|r| r.strip_suffix(q)))
        .unwrap_or(v);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quoted_comparator_and_negation() {
        let q = Query::parse("updated_at:>'2026-09-01T10:00:00Z' -sku:ab\\:1 OR barcode:\"59 4\"");
        assert_eq!(q.any_of.len(), 2, "OR splits into two groups");
        assert_eq!(q.any_of[0][0].op, Op::Gt);
        assert_eq!(q.any_of[0][0].value, "2026-09-01T10:00:00Z");
        assert!(q.any_of[0][1].negated);
        assert_eq!(
            q.any_of[0][1].value, "ab:1",
            "escaped colon stays in the value"
        );
        assert_eq!(q.any_of[1][0].value, "59 4", "quotes keep the space");
    }

    #[test]
    fn a_time_from_later_in_a_second_matches_greater_than_that_second_on_2026_07() {
        let at = parse_time("2026-09-15T12:00:02.500Z").expect("time");
        let hit = |q: &str| Query::parse(q).matches(|_| Value::Time(at));
        assert!(
            hit("created_at:>'2026-09-15T12:00:02Z'"),
            "2026-07: > is T.000000"
        );
        assert!(hit("created_at:<='2026-09-15T12:00:02Z'"));
        assert!(hit("created_at:>='2026-09-15T12:00:02Z'"));
        assert!(
            !hit("created_at:>='2026-09-15T12:00:03Z'"),
            "the next second"
        );
        assert!(!hit("created_at:<'2026-09-15T12:00:02Z'"));
        assert!(hit("created_at:'2026-09-15T12:00:02Z'"));
        assert!(
            !hit("created_at:>'2026-09-15T12:00:02.750Z'"),
            "fractions compare"
        );
    }
}
