//! Plan findings become stored findings (deduplicated by key, so the same problem every 15
//! minutes is one row) and, when new, one notification per run rather than one per product.
//! A finding closes when a run that looked at its subject no longer sees it ([`Examined`]): a
//! catalogue problem once the catalogue matches, a target below zero once the code's target
//! is at or above zero, a drift once the code's level reads as expected. Kinds a run does not
//! check (another job's findings) are left as they are.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use punte_core::plan::PlanFinding;
use punte_core::product::{ProductCode, ProductFinding};
use punte_store::{Finding, RunId, Store, StoreError};

use crate::context::Ctx;
use crate::error::EngineError;
use crate::events::EngineEvent;
use crate::notify::{FindingNote, NotificationEvent};

/// The stored form of a plan finding. `message` and `what_to_fix` are English for logs and the
/// CSV; the window words each kind from `detail` (its parameters) in the merchant's language.
fn to_finding(f: &PlanFinding) -> Result<Finding, StoreError> {
    let detail = serde_json::to_string(f).map_err(|e| StoreError::BadValue(e.to_string()))?;
    Ok(match f {
        PlanFinding::Product(p) => Finding::from_product(p)?,
        PlanFinding::TargetBelowZero {
            code,
            billing,
            reserved,
            ..
        } => Finding {
            key: format!("target_below_zero:{}", code.0),
            kind: "target_below_zero".into(),
            code: Some(code.clone()),
            message: format!("billing {billing} is below the {reserved} reserved"),
            what_to_fix: format!(
                "Shopify shows 0 for {}; record the missing receipt or check open orders.",
                code.0
            ),
            detail: Some(detail),
        },
        PlanFinding::LevelNotRead { code } => Finding {
            key: format!("level_not_read:{}", code.0),
            kind: "level_not_read".into(),
            code: Some(code.clone()),
            message: "not stocked at the synced Shopify location".into(),
            what_to_fix: format!(
                "Stock {} at the Shopify location mapped to the warehouse.",
                code.0
            ),
            detail: Some(detail),
        },
    })
}

/// A finding that is not about one product (a halted run, a failed read); `detail` carries
/// its parameters as JSON for the window's wording.
pub(crate) fn run_finding(
    kind: &str,
    message: String,
    what_to_fix: &str,
    detail: Option<serde_json::Value>,
) -> Finding {
    Finding {
        key: kind.to_owned(),
        kind: kind.to_owned(),
        code: None,
        message,
        what_to_fix: what_to_fix.to_owned(),
        detail: detail.map(|d| d.to_string()),
    }
}

/// What a run looked at, so that findings it no longer sees can close.
#[derive(Debug, Clone, Default)]
pub(crate) struct Examined {
    /// The catalogue was matched against billing: every catalogue finding was re-checked.
    pub catalogue: bool,
    /// Codes the plan computed a target for; `None` for every code.
    pub planned: Option<HashSet<ProductCode>>,
    /// Codes whose Shopify level was read and checked for drift.
    pub levels: HashSet<ProductCode>,
    /// The billing read answered.
    pub billing: bool,
    /// The plan was not halted by a rail.
    pub not_halted: bool,
}

impl Examined {
    /// Whether this run checked what `f` is about (so its absence means it is gone).
    fn covers(&self, f: &Finding) -> bool {
        let code = f.code.as_ref();
        match f.kind.as_str() {
            "billing_read_failed" => self.billing,
            "sync_halted" => self.not_halted,
            "shopify_drift" => code.is_some_and(|c| self.levels.contains(c)),
            "code_near_match" => self.catalogue,
            // Planned again and not refused (or clamped) again: written, or no longer needed.
            "write_failed" | "quantity_too_high" => {
                self.not_halted
                    && code.is_some_and(|c| self.planned.as_ref().is_none_or(|p| p.contains(c)))
            }
            "target_below_zero" | "level_not_read" => {
                code.is_some_and(|c| self.planned.as_ref().is_none_or(|p| p.contains(c)))
            }
            _ => {
                self.catalogue
                    && f.detail
                        .as_deref()
                        .is_some_and(|d| serde_json::from_str::<ProductFinding>(d).is_ok())
            }
        }
    }
}

/// Records findings in one store job and closes the examined ones not seen again; returns
/// the findings new since the last run (first seen, or seen again after closing).
fn record(
    s: &mut Store,
    findings: &[Finding],
    examined: Option<&Examined>,
    run: Option<RunId>,
    at: DateTime<Utc>,
) -> Result<(usize, Vec<FindingNote>), StoreError> {
    let open = s.open_findings(usize::MAX >> 1)?;
    let before: HashSet<&str> = open.iter().map(|r| r.finding.key.as_str()).collect();
    let now: HashSet<&str> = findings.iter().map(|f| f.key.as_str()).collect();
    let new: Vec<FindingNote> = findings
        .iter()
        .filter(|f| !before.contains(f.key.as_str()))
        .map(|f| FindingNote {
            kind: f.kind.clone(),
            code: f.code.as_ref().map(|c| c.0.clone()),
        })
        .collect();
    let gone: Vec<String> = match examined {
        Some(ex) => open
            .iter()
            .filter(|r| !now.contains(r.finding.key.as_str()) && ex.covers(&r.finding))
            .map(|r| r.finding.key.clone())
            .collect(),
        None => Vec::new(),
    };
    s.record_findings(findings, run, at)?;
    s.resolve_findings(&gone, at)?;
    Ok((before.len() + new.len() - gone.len(), new))
}

/// Stores `plan` findings plus `extra`, closes the examined ones the run no longer sees, then
/// emits `FindingsChanged` and notifies the new ones (once per run, naming them).
pub(crate) async fn publish(
    ctx: &Ctx,
    plan: &[PlanFinding],
    extra: Vec<Finding>,
    examined: Option<Examined>,
    run: Option<RunId>,
) -> Result<usize, EngineError> {
    let mut all = plan.iter().map(to_finding).collect::<Result<Vec<_>, _>>()?;
    all.extend(extra);
    // The same subject twice in one run (a drift seen at step 1 and again after a stale
    // write) is one finding.
    let mut keys = HashSet::new();
    all.retain(|f| keys.insert(f.key.clone()));
    let count = all.len();
    let at = ctx.now();
    let (open, new) = ctx
        .store()
        .call(move |s| record(s, &all, examined.as_ref(), run, at))
        .await?;
    ctx.emit(EngineEvent::FindingsChanged {
        open,
        new: new.len(),
    });
    if !new.is_empty() {
        ctx.notify(NotificationEvent::NewFindings { findings: new });
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(kind: &str, code: Option<&str>, detail: Option<&str>) -> Finding {
        Finding {
            key: format!("{kind}:{}", code.unwrap_or("")),
            kind: kind.into(),
            code: code.map(ProductCode::from),
            message: String::new(),
            what_to_fix: String::new(),
            detail: detail.map(str::to_owned),
        }
    }

    #[test]
    fn a_run_covers_only_what_it_looked_at() {
        let ex = Examined {
            catalogue: true,
            planned: Some(HashSet::from([ProductCode::from("A")])),
            levels: HashSet::from([ProductCode::from("B")]),
            billing: true,
            not_halted: false,
        };
        let product = r#"{"kind":"billing_product_without_shopify_match","code":"Z"}"#;
        assert!(ex.covers(&finding(
            "billing_product_without_shopify_match",
            Some("Z"),
            Some(product)
        )));
        assert!(ex.covers(&finding("target_below_zero", Some("A"), None)));
        assert!(!ex.covers(&finding("target_below_zero", Some("B"), None)));
        assert!(ex.covers(&finding("shopify_drift", Some("B"), None)));
        assert!(!ex.covers(&finding("shopify_drift", Some("A"), None)));
        assert!(ex.covers(&finding("billing_read_failed", None, None)));
        assert!(!ex.covers(&finding("sync_halted", None, None)));
        // A kind this run does not check (another job's) never closes here.
        assert!(!ex.covers(&finding("invoice_needs_review", Some("A"), Some("{}"))));
        let all = Examined {
            planned: None,
            ..ex
        };
        assert!(all.covers(&finding("level_not_read", Some("Q"), None)));
    }
}
