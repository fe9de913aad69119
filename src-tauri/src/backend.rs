//! Starting the engine inside Tauri's async runtime, off the main thread: open the store at
//! `<data dir>/punte.db`, choose demo mode (no connection saved, or `PUNTE_DEMO=1`), start the
//! simulators and the engine, and forward every `EngineEvent` to the UI as `engine://event`.
//! Commands wait for startup to settle; a failed start becomes a `{code, message}` answer.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use punte_engine::{
    Engine, EngineConfig, EngineDeps, EngineHandle, EngineSettings, SystemClock, Timing,
};
use punte_store::StoreHandle;
use tauri::{AppHandle, Emitter, Runtime};
use tokio::sync::{broadcast, watch};

use crate::CommandError;
use crate::demo::Demo;
use crate::notifier::DesktopNotifier;

/// The event every `EngineEvent` is forwarded as, unchanged.
pub const EVENT_ENGINE: &str = "engine://event";
/// `PUNTE_DEMO=1` starts the demo shop even when a real connection is saved.
pub const DEMO_ENV: &str = "PUNTE_DEMO";
/// How long a command waits for the engine to finish starting.
const START_WAIT: Duration = Duration::from_secs(60);

/// The running backend: the engine, the store it writes, and the demo simulators if any.
pub struct Running {
    pub engine: EngineHandle,
    pub store: StoreHandle,
    pub demo: Option<Demo>,
    /// The Shopify location whose levels are synced.
    pub location_id: u64,
    /// The settings the engine was started with.
    pub settings: EngineSettings,
}

/// Where startup is.
#[derive(Clone)]
pub enum Phase {
    Starting,
    Ready(Arc<Running>),
    Failed(CommandError),
}

/// Managed state: commands read the phase from here.
pub struct Backend {
    phase: watch::Receiver<Phase>,
}

impl Backend {
    /// The running backend, waiting (without blocking a thread) while it starts.
    pub async fn running(&self) -> Result<Arc<Running>, CommandError> {
        let mut rx = self.phase.clone();
        let settled =
            tokio::time::timeout(START_WAIT, rx.wait_for(|p| !matches!(p, Phase::Starting))).await;
        match settled {
            Ok(Ok(phase)) => match &*phase {
                Phase::Ready(r) => Ok(Arc::clone(r)),
                Phase::Failed(e) => Err(e.clone()),
                Phase::Starting => Err(starting()),
            },
            Ok(Err(_)) => Err(CommandError::new(
                "engine.stopped",
                "Motorul s-a oprit / The engine has stopped",
            )),
            Err(_) => Err(starting()),
        }
    }
}

fn starting() -> CommandError {
    CommandError::new(
        "engine.starting",
        "Punte încă pornește; încercați din nou / Punte is still starting; try again",
    )
}

/// Starts the backend on Tauri's async runtime and returns the state to manage at once.
pub fn spawn<R: Runtime>(app: AppHandle<R>, data_dir: PathBuf) -> Backend {
    let (tx, rx) = watch::channel(Phase::Starting);
    tauri::async_runtime::spawn(async move {
        let phase = match start(app, data_dir).await {
            Ok(running) => Phase::Ready(Arc::new(running)),
            Err(err) => {
                tracing::error!(code = err.code, message = %err.message, "the engine did not start");
                Phase::Failed(err)
            }
        };
        let _ = tx.send(phase);
        // Keep the sender: a dropped sender would read as "stopped" to later commands.
        std::future::pending::<()>().await;
    });
    Backend { phase: rx }
}

async fn start<R: Runtime>(app: AppHandle<R>, data_dir: PathBuf) -> Result<Running, CommandError> {
    let path = data_dir.join("punte.db");
    let store = tokio::task::spawn_blocking(move || StoreHandle::open(path))
        .await
        .map_err(|e| CommandError::new("store.open", e.to_string()))?
        .map_err(|e| {
            CommandError::new(
                e.code(),
                format!("Baza de date nu se deschide / The database does not open: {e}"),
            )
        })?;
    let saved = store
        .call(|s| s.connections())
        .await
        .map_err(|e| CommandError::new(e.code(), e.to_string()))?;
    let demo_forced = std::env::var(DEMO_ENV).is_ok_and(|v| v == "1");
    if !saved.is_empty() && !demo_forced {
        return Err(CommandError::new(
            "engine.not_configured",
            "Conectarea la un magazin real nu este încă pornită de această versiune; porniți cu \
             PUNTE_DEMO=1 pentru magazinul demo. / Connecting a real shop is not started by this \
             version yet; start with PUNTE_DEMO=1 for the demo shop.",
        ));
    }
    let demo = Demo::start().await.map_err(|e| {
        CommandError::new(
            "demo.start",
            format!("Magazinul demo nu pornește / The demo shop does not start: {e}"),
        )
    })?;
    let location = demo
        .primary_location()
        .await
        .map_err(|e| CommandError::new(e.code(), e.to_string()))?;
    let settings = EngineSettings::default();
    let config = EngineConfig {
        connections: demo.connections(location),
        settings: settings.clone(),
        timing: Timing::default(),
    };
    let (events, _) = broadcast::channel(1024);
    let deps = EngineDeps {
        store: store.clone(),
        notifier: Arc::new(DesktopNotifier::new(app.clone())),
        // Demo credentials only (see Demo::secrets); a real shop reads the Keychain.
        secrets: Arc::new(demo.secrets()),
        clock: Arc::new(SystemClock),
        events,
    };
    let engine = Engine::start(config, deps);
    forward_events(app, engine.subscribe());
    tracing::info!(location, "demo shop started");
    Ok(Running {
        engine,
        store,
        demo: Some(demo),
        location_id: location,
        settings,
    })
}

/// Sends every engine event to the web view as is; a lagging receiver skips, never blocks.
fn forward_events<R: Runtime>(
    app: AppHandle<R>,
    mut rx: broadcast::Receiver<punte_engine::EngineEvent>,
) {
    tauri::async_runtime::spawn(async move {
        loop {
            match rx.recv().await {
                Ok(event) => {
                    let _ = app.emit(EVENT_ENGINE, &event);
                }
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!(skipped = n, "UI event forwarder lagged");
                }
                Err(broadcast::error::RecvError::Closed) => break,
            }
        }
    });
}
