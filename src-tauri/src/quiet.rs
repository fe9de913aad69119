//! "No run in progress" for the updater: the engine's scheduler takes a pause only between jobs,
//! so once its status says Paused, no sync run is under way and none starts on schedule. The
//! guard resumes the engine if the install does not happen (and only if it was running before).

use std::time::Duration;

use punte_engine::{EngineHandle, RunState};
use tauri::{AppHandle, Manager, Runtime};

use crate::CommandError;
use crate::backend::{Backend, Running};

/// How long an install waits for a long run (a full reconciliation) to end.
const RUN_END_WAIT: Duration = Duration::from_secs(15 * 60);

/// The engine paused for an install; [`Paused::resume`] undoes it.
pub struct Paused {
    running: Option<std::sync::Arc<Running>>,
    was_running: bool,
}

impl Paused {
    pub async fn resume(self) {
        if let (Some(r), true) = (self.running, self.was_running) {
            r.engine.resume().await;
        }
    }
}

/// Pauses the engine and waits until the scheduler has taken the pause (after the job in
/// progress, if any). Without an engine (it failed to start) there is no run to wait for.
pub async fn pause_between_runs<R: Runtime>(app: &AppHandle<R>) -> Result<Paused, CommandError> {
    let Ok(running) = app.state::<Backend>().running().await else {
        return Ok(Paused {
            running: None,
            was_running: false,
        });
    };
    let was_running = running.engine.status().state == RunState::Running;
    running.engine.pause().await;
    if !wait_paused(&running.engine).await {
        if was_running {
            running.engine.resume().await;
        }
        return Err(CommandError::new(
            "update.busy",
            "O sincronizare durează de prea mult; actualizarea se instalează după ce se termină / \
             A sync run is taking too long; the update installs after it ends",
        ));
    }
    Ok(Paused {
        running: Some(running),
        was_running,
    })
}

async fn wait_paused(engine: &EngineHandle) -> bool {
    let deadline = tokio::time::Instant::now() + RUN_END_WAIT;
    while tokio::time::Instant::now() < deadline {
        if engine.status().state == RunState::Paused {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}
