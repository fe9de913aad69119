//! The IPC tests' app: Tauri's mock runtime with the real command list and the real startup
//! (`punte_app::manage_state`: store in a temporary folder, demo simulators on loopback, engine),
//! and a webview that sends each command exactly as the UI's `invoke` would.
#![allow(dead_code)] // each test binary uses a different subset

use std::time::{Duration, Instant};

use punte_app::AppDirs;
use serde_json::{Value, json};
use tauri::test::{INVOKE_KEY, MockRuntime, mock_builder, mock_context, noop_assets};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

/// A running mock app with its own data folder (removed on drop).
pub struct TestApp {
    pub app: App<MockRuntime>,
    pub webview: WebviewWindow<MockRuntime>,
    pub dir: tempfile::TempDir,
}

/// A command's error as the UI receives it.
#[derive(Debug)]
pub struct Rejected {
    pub code: String,
    pub message: String,
}

impl TestApp {
    /// Starts the app as `run` does, minus the window, tray and logging.
    pub fn start() -> Self {
        Self::start_in(tempfile::tempdir().expect("a temporary folder"))
    }

    /// Like [`TestApp::start`], on a data folder prepared by the caller (e.g. a seeded store).
    pub fn start_in(dir: tempfile::TempDir) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let app = mock_builder()
            .plugin(tauri_plugin_notification::init())
            .invoke_handler(punte_app::invoke_handler())
            .build(mock_context(noop_assets()))
            .expect("the mock app builds");
        let dirs = AppDirs {
            data: dir.path().to_path_buf(),
            logs: dir.path().join("logs"),
        };
        punte_app::manage_state(app.handle(), dirs);
        let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .expect("the mock webview builds");
        Self { app, webview, dir }
    }

    /// Sends `cmd` with `args` (the JS argument object) and returns its JSON answer.
    pub fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: tauri::ipc::CallbackFn(0),
            error: tauri::ipc::CallbackFn(1),
            url: "tauri://localhost".parse().expect("a valid url"),
            body: tauri::ipc::InvokeBody::Json(args),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        tauri::test::get_ipc_response(&self.webview, request)
            .map(|body| body.deserialize::<Value>().expect("answers are JSON"))
    }

    /// The answer of a command that must succeed.
    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.invoke(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} must succeed, got {e}"))
    }

    /// The `{code, message}` of a command that must fail; checks the shape, and that an
    /// `input.invalid` message says what to fix in Romanian and English (split by " / ").
    pub fn rejected(&self, cmd: &str, args: Value) -> Rejected {
        let err = match self.invoke(cmd, args.clone()) {
            Ok(v) => panic!("{cmd} {args} must be refused, got {v}"),
            Err(e) => e,
        };
        let code = err["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no code in {err}"));
        let message = err["message"]
            .as_str()
            .unwrap_or_else(|| panic!("no message in {err}"));
        assert!(
            message.len() > 10,
            "{cmd}: the message must say what to fix: {err}"
        );
        if code == "input.invalid" {
            assert!(
                message.contains(" / "),
                "{cmd}: Romanian / English: {message}"
            );
        }
        Rejected {
            code: code.to_owned(),
            message: message.to_owned(),
        }
    }

    /// Waits until the demo's first sync run has ended, then pauses the scheduled syncs so the
    /// store only changes when a test asks it to.
    pub fn settled(&self) -> &Self {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let runs = self.ok("recent_runs", json!({"limit": 5}));
            let ended = runs
                .as_array()
                .is_some_and(|r| r.iter().any(|run| !run["end"].is_null()));
            if ended {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the demo's first sync never ended"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        let status = self.ok("pause_sync", json!({}));
        // pause_sync answers once the scheduler took the pause, after the job it had.
        assert_eq!(
            status["state"], "paused",
            "pause_sync answers the paused status"
        );
        self
    }

    /// Waits until the engine reports `state` ("running", "paused").
    pub fn wait_state(&self, state: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.ok("engine_status", json!({}))["state"] != state {
            assert!(Instant::now() < deadline, "the engine never became {state}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
