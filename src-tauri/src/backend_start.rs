//! Starting one phase of the backend: on the saved shop (its connections and keychain secrets,
//! scheduled runs held while the guided first run is open), or on the demo shop (in-process
//! simulators, demo-only credentials, its own `demo.db` emptied before its first open), and
//! the engine wired to the window's notifier and event outlet. The profile's `punte.db` opens
//! once per process, whatever the mode.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use punte_engine::{
    Engine, EngineConfig, EngineDeps, EngineSettings, SecretStore, SystemClock, Timing,
};
use punte_store::StoreHandle;
use tokio::sync::broadcast;

use super::{DEMO_ENV, Inner, Phase, Running};
use crate::CommandError;
use crate::commands::{first_run, profile_urls};
use crate::demo::Demo;

async fn open_store(path: PathBuf) -> Result<StoreHandle, CommandError> {
    tokio::task::spawn_blocking(move || StoreHandle::open(path))
        .await
        .map_err(|e| CommandError::new("store.open", e.to_string()))?
        .map_err(|e| {
            CommandError::new(
                e.code(),
                format!("Baza de date nu se deschide / The database does not open: {e}"),
            )
        })
}

impl Inner {
    pub(super) async fn profile(&self) -> Result<StoreHandle, CommandError> {
        let path = self.data_dir.join("punte.db");
        self.profile
            .get_or_try_init(|| open_store(path))
            .await
            .cloned()
    }

    /// The demo's own database, emptied before its first open in this process.
    async fn demo_store(&self) -> Result<StoreHandle, CommandError> {
        let path = self.data_dir.join("demo.db");
        self.demo_store
            .get_or_try_init(|| async {
                for suffix in ["", "-wal", "-shm"] {
                    let file = PathBuf::from(format!("{}{suffix}", path.display()));
                    if let Err(e) = std::fs::remove_file(&file)
                        && e.kind() != std::io::ErrorKind::NotFound
                    {
                        tracing::warn!(file = %file.display(), error = %e, "old demo data not removed");
                    }
                }
                open_store(path).await
            })
            .await
            .cloned()
    }

    pub(super) async fn start_phase(&self) -> Phase {
        match self.start().await {
            Ok(running) => Phase::Ready(Arc::new(running)),
            Err(err) => {
                tracing::error!(code = err.code, message = %err.message, "the engine did not start");
                Phase::Failed(err)
            }
        }
    }

    async fn start(&self) -> Result<Running, CommandError> {
        let profile = self.profile().await?;
        let demo_forced = std::env::var(DEMO_ENV).is_ok_and(|v| v == "1");
        if !demo_forced
            && let Some((connections, settings)) =
                profile_urls::saved_shop(&profile, &*self.secrets).await?
        {
            tracing::info!(
                location = connections.location_id,
                "starting on the saved shop"
            );
            let secrets = Arc::clone(&self.secrets);
            // The guided first run is open: nothing is scheduled until its first sync is applied.
            let scheduled = !first_run::load(&profile).await?.holds_schedule();
            if !scheduled {
                tracing::info!("first run open: scheduled runs wait for the applied preview");
            }
            let timing = Timing {
                scheduled,
                ..Timing::default()
            };
            return Ok(self.running(connections, settings, timing, profile, secrets, None));
        }
        let store = self.demo_store().await?;
        let demo = Demo::start().await.map_err(|e| {
            let text = format!("Magazinul demo nu pornește / The demo shop does not start: {e}");
            CommandError::new("demo.start", text)
        })?;
        let location = demo
            .primary_location()
            .await
            .map_err(|e| CommandError::new(e.code(), e.to_string()))?;
        tracing::info!(location, "demo shop started");
        // Demo credentials only (see Demo::secrets): they never reach the keychain.
        let (connections, secrets) = (demo.connections(location), Arc::new(demo.secrets()));
        let settings = EngineSettings::default();
        let timing = Timing::default();
        Ok(self.running(connections, settings, timing, store, secrets, Some(demo)))
    }

    fn running(
        &self,
        connections: punte_engine::Connections,
        settings: EngineSettings,
        timing: Timing,
        store: StoreHandle,
        secrets: Arc<dyn SecretStore>,
        demo: Option<Demo>,
    ) -> Running {
        let location_id = connections.location_id;
        let config = EngineConfig {
            connections,
            settings: settings.clone(),
            timing,
        };
        let (events, _) = broadcast::channel(1024);
        let notify = Arc::new(AtomicBool::new(demo.is_none()));
        let notifier = self.outlet.notifier(Arc::clone(&notify));
        let clock = Arc::new(SystemClock);
        let deps = EngineDeps {
            store: store.clone(),
            notifier,
            secrets,
            clock,
            events,
        };
        let engine = Engine::start(config, deps);
        self.outlet.forward(engine.subscribe());
        Running {
            engine,
            store,
            demo,
            location_id,
            settings,
            notify,
        }
    }
}
