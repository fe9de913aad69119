//! Starting (and restarting) the engine inside Tauri's async runtime, off the main thread. The
//! profile lives in `<data dir>/punte.db`. With Shopify and a billing connection saved, the engine
//! runs on them, reading their secrets from the keychain; otherwise (or with `PUNTE_DEMO=1`) it
//! runs on the demo shop: in-process simulators and a separate `<data dir>/demo.db`, emptied at
//! each start, so simulated orders never mix with the real shop's. Saving a connection restarts
//! the phase: the old engine is stopped cleanly, then the new one starts. Every `EngineEvent` goes
//! to the UI as `engine://event`; commands wait while the phase is starting.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use punte_engine::{EngineHandle, EngineSettings, SecretStore};
use punte_store::StoreHandle;
use tauri::{AppHandle, Runtime};
use tokio::sync::{OnceCell, watch};

use crate::CommandError;
use crate::demo::Demo;
use crate::outlet::Outlet;

pub use crate::outlet::EVENT_ENGINE;
/// `PUNTE_DEMO=1` starts the demo shop even when a real connection is saved.
pub const DEMO_ENV: &str = "PUNTE_DEMO";
/// How long a command waits for the engine to finish starting.
const START_WAIT: Duration = Duration::from_secs(60);
/// How long a restart waits for commands in flight to let go of the old engine.
const RELEASE_WAIT: Duration = Duration::from_secs(30);

/// The running backend: the engine, the store it writes, and the demo simulators if any.
pub struct Running {
    pub engine: EngineHandle,
    pub store: StoreHandle,
    pub demo: Option<Demo>,
    /// The Shopify location whose levels are synced.
    pub location_id: u64,
    /// The settings the engine was started with.
    pub settings: EngineSettings,
    /// Whether notifications are shown: always on a real shop; in the demo only once the
    /// merchant has acted (see [`Running::acted`]).
    notify: Arc<AtomicBool>,
}

impl Running {
    /// The merchant did something (a sync, an invoice, a simulation): from now on the demo's
    /// notifications are shown too.
    pub fn acted(&self) {
        self.notify.store(true, Ordering::Relaxed);
    }
}

/// Where startup is.
#[derive(Clone)]
pub enum Phase {
    Starting,
    Ready(Arc<Running>),
    Failed(CommandError),
}

struct Inner {
    phase: watch::Sender<Phase>,
    data_dir: PathBuf,
    secrets: Arc<dyn SecretStore>,
    outlet: Box<dyn Outlet>,
    profile: OnceCell<StoreHandle>,
    demo_store: OnceCell<StoreHandle>,
    restarts: tokio::sync::Mutex<()>,
}

/// Managed state: commands read the phase from here.
pub struct Backend {
    inner: Arc<Inner>,
}

impl Backend {
    /// The running backend, waiting (without blocking a thread) while it starts.
    pub async fn running(&self) -> Result<Arc<Running>, CommandError> {
        let mut rx = self.inner.phase.subscribe();
        let settled =
            tokio::time::timeout(START_WAIT, rx.wait_for(|p| !matches!(p, Phase::Starting))).await;
        match settled {
            Ok(Ok(phase)) => match &*phase {
                Phase::Ready(r) => Ok(Arc::clone(r)),
                Phase::Failed(e) => Err(e.clone()),
                Phase::Starting => Err(starting()),
            },
            // The sender lives as long as the backend: only the timeout ends the wait.
            Ok(Err(_)) | Err(_) => Err(starting()),
        }
    }

    /// `Some(true)` on the demo shop, `Some(false)` on the real one, `None` while starting or failed.
    pub fn is_demo(&self) -> Option<bool> {
        match &*self.inner.phase.borrow() {
            Phase::Ready(r) => Some(r.demo.is_some()),
            _ => None,
        }
    }

    /// Every change of phase (start, restart on a saved shop, failure), for the shell's watchers.
    pub fn phases(&self) -> watch::Receiver<Phase> {
        self.inner.phase.subscribe()
    }

    /// The profile's store (`punte.db`), whatever mode the engine runs in.
    pub async fn profile(&self) -> Result<StoreHandle, CommandError> {
        self.inner.profile().await
    }

    /// Where secrets are kept: the OS keychain (memory in the IPC tests).
    pub fn secrets(&self) -> Arc<dyn SecretStore> {
        Arc::clone(&self.inner.secrets)
    }

    /// Stops the running engine cleanly and starts again on what is saved now. Commands wait
    /// from this moment until the new phase settles.
    pub fn restart(&self) {
        let inner = Arc::clone(&self.inner);
        let previous = inner.phase.send_replace(Phase::Starting);
        tauri::async_runtime::spawn(async move {
            let _one_at_a_time = inner.restarts.lock().await;
            let current = inner.phase.send_replace(Phase::Starting);
            stop(previous).await;
            stop(current).await;
            let phase = inner.start_phase().await;
            inner.phase.send_replace(phase);
        });
    }
}

fn starting() -> CommandError {
    CommandError::new(
        "engine.starting",
        "Punte încă pornește; încercați din nou / Punte is still starting; try again",
    )
}

/// Starts the backend on Tauri's async runtime and returns the state to manage at once.
pub fn spawn<R: Runtime>(
    app: AppHandle<R>,
    data_dir: PathBuf,
    secrets: Arc<dyn SecretStore>,
) -> Backend {
    let (phase, _) = watch::channel(Phase::Starting);
    let inner = Arc::new(Inner {
        phase,
        data_dir,
        secrets,
        outlet: Box::new(app),
        profile: OnceCell::new(),
        demo_store: OnceCell::new(),
        restarts: tokio::sync::Mutex::new(()),
    });
    let starter = Arc::clone(&inner);
    tauri::async_runtime::spawn(async move {
        let _one_at_a_time = starter.restarts.lock().await;
        let phase = starter.start_phase().await;
        starter.phase.send_replace(phase);
    });
    Backend { inner }
}

/// Ends a phase's engine after the commands using it let go (a clean `stop`); if one holds on
/// past [`RELEASE_WAIT`], dropping the last handle aborts the engine (every write is transactional).
async fn stop(phase: Phase) {
    let Phase::Ready(mut running) = phase else {
        return;
    };
    let deadline = tokio::time::Instant::now() + RELEASE_WAIT;
    loop {
        match Arc::try_unwrap(running) {
            Ok(r) => {
                r.engine.stop().await;
                tracing::info!(demo = r.demo.is_some(), "engine stopped for a restart");
                return;
            }
            Err(shared) if tokio::time::Instant::now() < deadline => {
                running = shared;
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            Err(_) => {
                tracing::warn!("a command still holds the old engine; it ends when released");
                return;
            }
        }
    }
}

// Starting a phase (the saved shop or the demo shop, each on its own database) is in its own
// file; as a child module it builds `Running` and reads `Inner` without widening either.
#[path = "backend_start.rs"]
mod start;
