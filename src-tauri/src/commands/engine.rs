//! Status bar and sync commands: `engine_status`, `sync_now`, `pause_sync`, `resume_sync`.

use punte_engine::{EngineHandle, RunState, RunSummary, Status, SyncScope};
use tauri::State;

use super::{engine_error, invalid};
use crate::backend::Backend;
use crate::{Arg, CommandError};

#[tauri::command]
pub async fn engine_status(backend: State<'_, Backend>) -> Result<Status, CommandError> {
    Ok(backend.running().await?.engine.status())
}

/// The scope word as the UI sends it; a wrong word is a clear `input.invalid`, not a
/// deserialisation message.
fn scope(word: &str) -> Result<SyncScope, CommandError> {
    Ok(match word {
        "all" => SyncScope::All,
        "stock_only" => SyncScope::StockOnly,
        "orders_only" => SyncScope::OrdersOnly,
        "full" => SyncScope::Full,
        other => {
            return Err(invalid(format!(
                "Tip de sincronizare necunoscut {other:?} (all, stock_only, orders_only, full) / \
                 Unknown sync scope {other:?} (all, stock_only, orders_only, full)"
            )));
        }
    })
}

#[tauri::command]
pub async fn sync_now(
    backend: State<'_, Backend>,
    scope: Arg<String>,
) -> Result<RunSummary, CommandError> {
    let scope = self::scope(&scope.get("scope")?)?;
    let running = backend.running().await?;
    tracing::info!(?scope, source = "ui", "sync requested");
    running.acted();
    running.engine.sync_now(scope).await.map_err(engine_error)
}

#[tauri::command]
pub async fn pause_sync(backend: State<'_, Backend>) -> Result<Status, CommandError> {
    let running = backend.running().await?;
    running.engine.pause().await;
    Ok(settled(&running.engine, RunState::Paused).await)
}

#[tauri::command]
pub async fn resume_sync(backend: State<'_, Backend>) -> Result<Status, CommandError> {
    let running = backend.running().await?;
    running.engine.resume().await;
    Ok(settled(&running.engine, RunState::Running).await)
}

/// The status once the scheduler has taken the pause/resume (it does so after the job in
/// progress); gives up after a few seconds and returns what it has.
async fn settled(engine: &EngineHandle, want: RunState) -> Status {
    for _ in 0..50 {
        let status = engine.status();
        if status.state == want {
            return status;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    engine.status()
}
