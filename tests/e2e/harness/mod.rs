//! The harness behind every scenario: `App::launch` gives a window to click, and cleans up
//! (driver, app, display, data folder) when dropped; on a failing test it saves a screenshot and
//! prints the app's log first.

pub mod processes;
mod webdriver;

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub use webdriver::Element;
use webdriver::Session;

/// One app at a time: WebKit is heavy and the machine has 2 cores.
static ONE_APP_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Takes the one-app-at-a-time turn, for a scenario that starts the app without WebDriver.
pub fn one_app_at_a_time() -> MutexGuard<'static, ()> {
    ONE_APP_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// How long a scenario waits for something to appear before failing.
pub const WAIT: Duration = Duration::from_secs(30);

/// A running Punte window under test.
pub struct App {
    name: String,
    session: Session,
    data_dir: tempfile::TempDir,
    driver: Child,
    display: processes::Xvfb,
    _turn: MutexGuard<'static, ()>,
}

impl App {
    /// Starts the app binary with an empty data folder. `name` names the screenshots.
    pub fn launch(name: &str) -> App {
        Self::launch_with_env(name, &[])
    }

    /// Like [`App::launch`], with extra environment variables for the app.
    pub fn launch_with_env(name: &str, env: &[(&str, &str)]) -> App {
        Self::launch_binary(name, app_binary(), env)
    }

    /// Like [`App::launch_with_env`], for another build of the app (e.g. the one a `.deb`
    /// installed in /usr/bin).
    pub fn launch_binary(name: &str, binary: &Path, env: &[(&str, &str)]) -> App {
        let turn = ONE_APP_AT_A_TIME
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let display = processes::Xvfb::start();
        let data_dir = tempfile::Builder::new()
            .prefix("punte-e2e-")
            .tempdir()
            .expect("temp dir");
        // tauri-driver under its own D-Bus session occasionally never answers on a loaded machine
        // (seen once in 16 starts in CI); a second start on fresh ports is a clean retry, and it is
        // reported so a driver that keeps failing stays visible.
        let mut attempt = 1;
        let (driver, session) = loop {
            let port = processes::free_port();
            let native_port = processes::free_port();
            let mut command = driver_command(port, native_port);
            command
                .env("DISPLAY", display.name())
                .env("PUNTE_DATA_DIR", data_dir.path())
                .env("PUNTE_LOG", "debug")
                // Software rendering under Xvfb: no GPU, no DMA-BUF.
                .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
                .env("LIBGL_ALWAYS_SOFTWARE", "1");
            for (key, value) in env {
                command.env(key, value);
            }
            let mut driver = processes::spawn_in_own_group(&mut command, "tauri-driver");
            let base = format!("http://127.0.0.1:{port}");
            match Session::start(&base, binary, WAIT) {
                Ok(session) => break (driver, session),
                Err(e) if attempt < 2 => {
                    eprintln!(
                        "e2e: {name}: no WebDriver session on attempt {attempt} ({e}); retrying"
                    );
                    processes::stop_group(&mut driver);
                    attempt += 1;
                }
                Err(e) => panic!(
                    "could not start a WebDriver session for {name}: {e}\n{}",
                    log_tail(data_dir.path())
                ),
            }
        };
        App {
            name: name.to_owned(),
            session,
            data_dir,
            driver,
            display,
            _turn: turn,
        }
    }

    /// The app's data folder (what `PUNTE_DATA_DIR` points to).
    pub fn data_dir(&self) -> &Path {
        self.data_dir.path()
    }

    /// The X display the app runs on (e.g. `:99`).
    #[allow(dead_code)] // tests/installed
    pub fn display(&self) -> &str {
        self.display.name()
    }

    /// The app's log so far (every file in its log folder).
    #[allow(dead_code)] // tests/installed
    pub fn log(&self) -> String {
        let mut out = String::new();
        for entry in std::fs::read_dir(self.data_dir.path().join("logs"))
            .into_iter()
            .flatten()
            .flatten()
        {
            out.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
        }
        out
    }

    /// Waits until an element matching `css` exists and returns it.
    pub fn find(&self, css: &str) -> Element {
        self.wait_for(&format!("element {css}"), || {
            self.session.find(css).ok().flatten()
        })
    }

    /// Clicks the element matching `css`. An element the page replaced between the find and
    /// the click (a reload, a re-render: WebDriver's "stale element reference") is found again
    /// and clicked, a few times at most; any other refusal fails at once.
    pub fn click(&self, css: &str) {
        for attempt in 1.. {
            let element = self.find(css);
            match self.session.click(&element) {
                Ok(()) => return,
                Err(e) if attempt < 5 && e.to_string().contains("stale element") => {
                    std::thread::sleep(std::time::Duration::from_millis(200));
                }
                Err(e) => panic!("click {css}: {e}"),
            }
        }
    }

    /// Types `text` into the field matching `css`, replacing what it held.
    pub fn fill(&self, css: &str, text: &str) {
        let element = self.find(css);
        self.session
            .fill(&element, text)
            .unwrap_or_else(|e| panic!("fill {css}: {e}"));
    }

    /// The visible text of the element matching `css`.
    pub fn text(&self, css: &str) -> String {
        let element = self.find(css);
        self.session
            .text(&element)
            .unwrap_or_else(|e| panic!("text of {css}: {e}"))
    }

    /// The text of the element matching `css` if it exists now (no waiting), for `wait_for`.
    pub fn text_now(&self, css: &str) -> Option<String> {
        let element = self.session.find(css).ok().flatten()?;
        self.session.text(&element).ok()
    }

    /// An attribute of the element matching `css` if it exists now (no waiting), for `wait_for`.
    pub fn attribute_now(&self, css: &str, name: &str) -> Option<String> {
        let element = self.session.find(css).ok().flatten()?;
        self.session.attribute(&element, name).ok().flatten()
    }

    /// Resizes the window to `width` × `height` CSS pixels and waits for the page to see it.
    pub fn set_window_size(&self, width: u32, height: u32) {
        self.session
            .set_window_size(width, height)
            .unwrap_or_else(|e| panic!("resize to {width}x{height}: {e}"));
        self.wait_for(&format!("a {width} px wide page"), || {
            let w = self.execute("return window.innerWidth;").as_u64()?;
            (w == u64::from(width)).then_some(())
        });
    }

    /// The JSON answer of `script` (a function body using `return`) run in the page.
    pub fn execute(&self, script: &str) -> serde_json::Value {
        self.session
            .execute(script)
            .unwrap_or_else(|e| panic!("script failed: {e}"))
    }

    /// Waits until `check` returns `Some`, polling; fails the test with `what` after [`WAIT`].
    pub fn wait_for<T>(&self, what: &str, mut check: impl FnMut() -> Option<T>) -> T {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(value) = check() {
                return value;
            }
            assert!(
                Instant::now() < deadline,
                "timed out after {WAIT:?} waiting for {what}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Saves a PNG of the display as `target/e2e/<scenario>-<label>.png` and returns its path.
    /// (WebKitWebDriver's own screenshot call hangs under Xvfb, so the X display is captured.)
    pub fn screenshot(&self, label: &str) -> PathBuf {
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("create target/e2e");
        let path = dir.join(format!("{}-{label}.png", self.name));
        self.display
            .capture(&path)
            .unwrap_or_else(|e| panic!("screenshot: {e}"));
        path
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let path = screenshot_dir().join(format!("{}-failure.png", self.name));
            let _ = std::fs::create_dir_all(screenshot_dir());
            if self.display.capture(&path).is_ok() {
                eprintln!("e2e: screenshot of the failure: {}", path.display());
            }
            eprintln!("{}", log_tail(self.data_dir.path()));
        }
        let _ = self.session.end();
        processes::stop_group(&mut self.driver);
    }
}

fn driver_command(port: u16, native_port: u16) -> Command {
    let driver = processes::find_tool("tauri-driver");
    let native = processes::find_tool("WebKitWebDriver");
    // A private session bus, as on a desktop: single-instance, notifications and the keychain use it.
    let mut command = match processes::try_find_tool("dbus-run-session") {
        Some(dbus) => {
            let mut c = Command::new(dbus);
            c.arg("--").arg(driver);
            c
        }
        None => Command::new(driver),
    };
    command
        .arg("--port")
        .arg(port.to_string())
        .arg("--native-port")
        .arg(native_port.to_string())
        .arg("--native-driver")
        .arg(native);
    command
}

/// The app binary cargo built for this test run.
fn app_binary() -> &'static Path {
    Path::new(env!("CARGO_BIN_EXE_punte-app"))
}

/// `target/e2e`, next to the profile folder holding the app binary.
fn screenshot_dir() -> PathBuf {
    let profile_dir = app_binary().parent().expect("binary has a folder");
    profile_dir.parent().unwrap_or(profile_dir).join("e2e")
}

/// The last lines of the app's log files, to explain a failure.
fn log_tail(data_dir: &Path) -> String {
    let Ok(entries) = std::fs::read_dir(data_dir.join("logs")) else {
        return "e2e: the app wrote no log folder".into();
    };
    let mut out = String::from("e2e: app log tail:\n");
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        for line in &lines[lines.len().saturating_sub(40)..] {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
