//! Cursor pagination as Shopify does it: `first`/`after` or `last`/`before`, at most 250 per page,
//! opaque base64 cursors, and `pageInfo`.

use apollo_compiler::resolvers::{FieldError, ObjectValue, ResolveInfo, ResolvedValue};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

pub const MAX_PAGE: i64 = 250;

/// One page of a connection over nodes of type `N`.
pub struct Connection<N> {
    pub type_name: &'static str,
    pub edge_type: &'static str,
    pub items: Vec<(u64, N)>,
    pub has_next: bool,
    pub has_previous: bool,
}

/// Cursor for the record with id `id`.
pub fn cursor(id: u64) -> String {
    STANDARD.encode(format!("{{\"last_id\":{id}}}"))
}

fn decode(cursor: &str) -> Result<u64, FieldError> {
    let bad = || FieldError {
        message: "Invalid cursor for current pagination sort.".into(),
    };
    let raw = STANDARD.decode(cursor).map_err(|_| bad())?;
    let v: serde_json::Value = serde_json::from_slice(&raw).map_err(|_| bad())?;
    v.get("last_id")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(bad)
}

fn int_arg(info: &ResolveInfo<'_>, name: &str) -> Option<i64> {
    info.arguments().get(name).and_then(|v| v.as_i64())
}

fn str_arg<'a>(info: &'a ResolveInfo<'_>, name: &str) -> Option<&'a str> {
    info.arguments().get(name).and_then(|v| v.as_str())
}

/// Slices `all` (already filtered and sorted) according to the field's pagination arguments.
pub fn paginate<N>(
    info: &ResolveInfo<'_>,
    all: Vec<(u64, N)>,
    type_name: &'static str,
    edge_type: &'static str,
) -> Result<Connection<N>, FieldError> {
    let first = int_arg(info, "first");
    let last = int_arg(info, "last");
    let (count, from_end) = match (first, last) {
        (Some(n), None) => (n, false),
        (None, Some(n)) => (n, true),
        (None, None) => {
            return Err(FieldError {
                message: "you must provide one of first or last".into(),
            });
        }
        (Some(_), Some(_)) => {
            return Err(FieldError {
                message: "providing both first and last is not supported".into(),
            });
        }
    };
    if !(0..=MAX_PAGE).contains(&count) {
        let arg = if from_end { "last" } else { "first" };
        return Err(FieldError {
            message: format!("The argument `{arg}` must be between 0 and {MAX_PAGE}."),
        });
    }
    let position = |c: &str| -> Result<usize, FieldError> {
        let id = decode(c)?;
        all.iter().position(|(i, _)| *i == id).ok_or(FieldError {
            message: "Invalid cursor for current pagination sort.".into(),
        })
    };
    let mut start = 0;
    let mut end = all.len();
    if let Some(after) = str_arg(info, "after") {
        start = position(after)? + 1;
    }
    if let Some(before) = str_arg(info, "before") {
        end = position(before)?;
    }
    let end = end.max(start);
    let count = count as usize;
    let (lo, hi) = if from_end {
        (end.saturating_sub(count).max(start), end)
    } else {
        (start, (start + count).min(end))
    };
    let has_next = hi < end;
    let has_previous = lo > start;
    let items = all.into_iter().skip(lo).take(hi - lo).collect();
    Ok(Connection {
        type_name,
        edge_type,
        items,
        has_next,
        has_previous,
    })
}

impl<N: ObjectValue + Clone> ObjectValue for Connection<N> {
    fn type_name(&self) -> &str {
        self.type_name
    }

    fn resolve_field<'a>(
        &'a self,
        info: &'a ResolveInfo<'a>,
    ) -> Result<ResolvedValue<'a>, FieldError> {
        Ok(match info.field_name() {
            "nodes" => ResolvedValue::list(
                self.items
                    .iter()
                    .map(|(_, n)| ResolvedValue::object(n.clone())),
            ),
            "edges" => ResolvedValue::list(self.items.iter().map(|(id, n)| {
                ResolvedValue::object(Edge {
                    type_name: self.edge_type,
                    id: *id,
                    node: n.clone(),
                })
            })),
            "pageInfo" => ResolvedValue::object(PageInfo {
                has_next: self.has_next,
                has_previous: self.has_previous,
                start: self.items.first().map(|(id, _)| cursor(*id)),
                end: self.items.last().map(|(id, _)| cursor(*id)),
            }),
            _ => return Err(not_simulated(info, self.type_name)),
        })
    }
}

struct Edge<N> {
    type_name: &'static str,
    id: u64,
    node: N,
}

impl<N: ObjectValue + Clone> ObjectValue for Edge<N> {
    fn type_name(&self) -> &str {
        self.type_name
    }

    fn resolve_field<'a>(
        &'a self,
        info: &'a ResolveInfo<'a>,
    ) -> Result<ResolvedValue<'a>, FieldError> {
        Ok(match info.field_name() {
            "cursor" => ResolvedValue::leaf(cursor(self.id)),
            "node" => ResolvedValue::object(self.node.clone()),
            _ => return Err(not_simulated(info, self.type_name)),
        })
    }
}

struct PageInfo {
    has_next: bool,
    has_previous: bool,
    start: Option<String>,
    end: Option<String>,
}

impl ObjectValue for PageInfo {
    fn type_name(&self) -> &str {
        "PageInfo"
    }

    fn resolve_field<'a>(
        &'a self,
        info: &'a ResolveInfo<'a>,
    ) -> Result<ResolvedValue<'a>, FieldError> {
        Ok(match info.field_name() {
            "hasNextPage" => ResolvedValue::leaf(self.has_next),
            "hasPreviousPage" => ResolvedValue::leaf(self.has_previous),
            "startCursor" => ResolvedValue::leaf(self.start.clone()),
            "endCursor" => ResolvedValue::leaf(self.end.clone()),
            _ => return Err(not_simulated(info, "PageInfo")),
        })
    }
}

/// The error for a schema-valid field this simulator does not model.
pub fn not_simulated(info: &ResolveInfo<'_>, type_name: &str) -> FieldError {
    FieldError {
        message: format!(
            "{type_name}.{} is not simulated by punte-sim",
            info.field_name()
        ),
    }
}
