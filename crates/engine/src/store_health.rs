//! What the engine does with the database's full integrity check, which runs beside the store
//! after opening (opening itself runs only the quick check; see `punte_store::IntegrityStatus`).
//! A damaged file becomes a finding with what to do, the status names it, and the automatic
//! sync pauses: nothing is written to Shopify or billing from data that may be wrong until the
//! merchant restores a backup (or resumes knowingly).

use punte_store::{Finding, IntegrityStatus};

use crate::context::Ctx;
use crate::error::{EngineError, ErrorInfo};

/// The finding's key and the status error's code.
pub(crate) const CORRUPT: &str = "store.corrupt";

/// Once the check has ended, reports it (once per call; the scheduler calls until it has an
/// answer): `None` while it runs, `Some(Some(error))` for a damaged file, `Some(None)` otherwise.
pub(crate) async fn ended(ctx: &Ctx) -> Option<Option<ErrorInfo>> {
    let status = Some(ctx.store().integrity()).filter(IntegrityStatus::is_final)?;
    let damaged = matches!(status, IntegrityStatus::Corrupt { .. });
    Some(report(ctx, status).await.unwrap_or_else(|e| {
        tracing::warn!(error = %e, "integrity finding not recorded");
        damaged.then(|| ErrorInfo {
            code: CORRUPT.into(),
            message: e.to_string(),
        })
    }))
}

/// Records a damaged file as a finding; returns the error the status shows, if it is damaged.
async fn report(ctx: &Ctx, status: IntegrityStatus) -> Result<Option<ErrorInfo>, EngineError> {
    match status {
        IntegrityStatus::Corrupt { problems } => {
            tracing::error!(%problems, "the database failed its full integrity check");
            let finding = Finding {
                key: CORRUPT.into(),
                kind: CORRUPT.into(),
                code: None,
                message: format!(
                    "The database failed its full integrity check / Baza de date nu a trecut verificarea completă: {}",
                    problems.lines().next().unwrap_or_default()
                ),
                what_to_fix: "Automatic sync is paused. Close Punte and restore the latest backup copy of punte.db (a *.bak file beside it) / Sincronizarea automată e oprită. Închideți Punte și restaurați ultima copie punte.db (fișierul *.bak de lângă ea)".into(),
                detail: Some(problems.clone()),
            };
            let at = ctx.now();
            ctx.store()
                .call(move |s| s.record_findings(&[finding], None, at))
                .await?;
            Ok(Some(ErrorInfo {
                code: CORRUPT.into(),
                message: problems,
            }))
        }
        IntegrityStatus::Failed { error } => {
            tracing::warn!(%error, "the database's full integrity check could not run");
            Ok(None)
        }
        IntegrityStatus::Ok { took_ms } => {
            tracing::info!(took_ms, "the database passed its full integrity check");
            Ok(None)
        }
        IntegrityStatus::NotRun | IntegrityStatus::Running => Ok(None),
    }
}
