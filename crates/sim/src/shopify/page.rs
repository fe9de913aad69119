//! Cursor pagination as Shopify does it: `first`/`after` or `last`/`before`, at most 250 per page,
//! and `pageInfo`. Cursors are keyset, base64 of `{"last_id":…,"last_value":"…"}` (the shape
//! real Shopify cursors decode to): the next page starts after that (sort value, id) in the
//! list's order, wherever that record is now, so a record changing while a client pages
//! neither empties a page nor skips the rest.

use apollo_compiler::resolvers::{FieldError, ObjectValue, ResolveInfo, ResolvedValue};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

pub const MAX_PAGE: i64 = 250;

/// One page of a connection over nodes of type `N`.
pub struct Connection<N> {
    pub type_name: &'static str,
    pub edge_type: &'static str,
    pub items: Vec<(Key, N)>,
    pub has_next: bool,
    pub has_previous: bool,
}

/// Where a record sits in a sorted list: its sort value, then its id (the tie-break).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Key {
    pub value: String,
    pub id: u64,
}

impl Key {
    /// The key of a list in id order.
    pub fn by_id(id: u64) -> Self {
        Self {
            value: format!("{id:020}"),
            id,
        }
    }
}

/// Cursor for the record at `key`.
pub fn cursor(key: &Key) -> String {
    let body = serde_json::json!({"last_id": key.id, "last_value": key.value});
    STANDARD.encode(body.to_string())
}

fn decode(cursor: &str) -> Result<Key, FieldError> {
    let bad = || FieldError {
        message: "Invalid cursor for current pagination sort.".into(),
    };
    let raw = STANDARD.decode(cursor).map_err(|_| bad())?;
    let v: serde_json::Value = serde_json::from_slice(&raw).map_err(|_| bad())?;
    let id = v
        .get("last_id")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(bad)?;
    let value = v
        .get("last_value")
        .and_then(serde_json::Value::as_str)
        .ok_or_else(bad)?;
    Ok(Key {
        value: value.to_owned(),
        id,
    })
}

fn int_arg(info: &ResolveInfo<'_>, name: &str) -> Option<i64> {
    info.arguments().get(name).and_then(|v| v.as_i64())
}

fn str_arg<'a>(info: &'a ResolveInfo<'_>, name: &str) -> Option<&'a str> {
    info.arguments().get(name).and_then(|v| v.as_str())
}

/// Slices `all` (already filtered, in id order) by the field's pagination arguments.
pub fn paginate<N>(
    info: &ResolveInfo<'_>,
    all: Vec<(u64, N)>,
    type_name: &'static str,
    edge_type: &'static str,
) -> Result<Connection<N>, FieldError> {
    let mut keyed: Vec<_> = all.into_iter().map(|(id, n)| (Key::by_id(id), n)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    paginate_keyed(info, keyed, false, type_name, edge_type)
}

/// Slices `all`, sorted by key (descending when `descending`), by the pagination arguments.
pub fn paginate_keyed<N>(
    info: &ResolveInfo<'_>,
    all: Vec<(Key, N)>,
    descending: bool,
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
    // How many records come at or before `key` in the list's order.
    let up_to =
        |key: &Key| all.partition_point(|(k, _)| if descending { k >= key } else { k <= key });
    let mut start = 0;
    let mut end = all.len();
    if let Some(after) = str_arg(info, "after") {
        start = up_to(&decode(after)?);
    }
    if let Some(before) = str_arg(info, "before") {
        let key = decode(before)?;
        end = all.partition_point(|(k, _)| if descending { *k > key } else { *k < key });
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
            "edges" => ResolvedValue::list(self.items.iter().map(|(key, n)| {
                ResolvedValue::object(Edge {
                    type_name: self.edge_type,
                    key: key.clone(),
                    node: n.clone(),
                })
            })),
            "pageInfo" => ResolvedValue::object(PageInfo {
                has_next: self.has_next,
                has_previous: self.has_previous,
                start: self.items.first().map(|(key, _)| cursor(key)),
                end: self.items.last().map(|(key, _)| cursor(key)),
            }),
            _ => return Err(not_simulated(info, self.type_name)),
        })
    }
}

struct Edge<N> {
    type_name: &'static str,
    key: Key,
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
            "cursor" => ResolvedValue::leaf(cursor(&self.key)),
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
