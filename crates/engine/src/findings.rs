//! Plan findings become stored findings (deduplicated by key, so the same problem every 15
//! minutes is one row) and, when new, one notification per run rather than one per product.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use punte_core::plan::PlanFinding;
use punte_store::{Finding, RunId, Store, StoreError};

use crate::context::Ctx;
use crate::error::EngineError;
use crate::events::EngineEvent;
use crate::notify::NotificationEvent;

/// The stored form of a plan finding.
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

/// A finding that is not about one product (a halted run, a failed read).
pub(crate) fn run_finding(kind: &str, message: String, what_to_fix: &str) -> Finding {
    Finding {
        key: kind.to_owned(),
        kind: kind.to_owned(),
        code: None,
        message,
        what_to_fix: what_to_fix.to_owned(),
        detail: None,
    }
}

/// Records findings in one store job; returns (open, new).
fn record(
    s: &mut Store,
    findings: &[Finding],
    run: Option<RunId>,
    at: DateTime<Utc>,
) -> Result<(usize, usize), StoreError> {
    let before: HashSet<String> = s
        .open_findings(usize::MAX >> 1)?
        .into_iter()
        .map(|r| r.finding.key)
        .collect();
    let new = findings.iter().filter(|f| !before.contains(&f.key)).count();
    s.record_findings(findings, run, at)?;
    Ok((before.len() + new, new))
}

/// Stores `plan` findings plus `extra`, then emits `FindingsChanged` and notifies new ones.
pub(crate) async fn publish(
    ctx: &Ctx,
    plan: &[PlanFinding],
    extra: Vec<Finding>,
    run: Option<RunId>,
) -> Result<usize, EngineError> {
    let mut all = plan.iter().map(to_finding).collect::<Result<Vec<_>, _>>()?;
    all.extend(extra);
    let count = all.len();
    let at = ctx.now();
    let (open, new) = ctx.store().call(move |s| record(s, &all, run, at)).await?;
    ctx.emit(EngineEvent::FindingsChanged { open, new });
    if new > 0 {
        ctx.notify(NotificationEvent::NewFindings { count: new });
    }
    Ok(count)
}
