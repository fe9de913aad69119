//! The processes behind a scenario: a private Xvfb display, the WebDriver chain started in its own
//! process group (so the app and WebKit's helpers die with it), and the tools they need.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A virtual X display that lives as long as this value.
pub struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    /// Starts Xvfb on the first free display number (it tells us which through `-displayfd`).
    pub fn start() -> Xvfb {
        let mut child = Command::new(find_tool("Xvfb"))
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start Xvfb");
        let stdout = child.stdout.take().expect("Xvfb stdout is piped");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read Xvfb display number");
        let number = line.trim();
        assert!(
            !number.is_empty(),
            "Xvfb exited without a display (is xvfb installed?)"
        );
        Xvfb {
            child,
            display: format!(":{number}"),
        }
    }

    /// The `DISPLAY` value, e.g. `:99`.
    pub fn name(&self) -> &str {
        &self.display
    }

    /// Writes a PNG of the whole display to `path` (ImageMagick's `import`).
    pub fn capture(&self, path: &std::path::Path) -> Result<(), String> {
        let status = Command::new(find_tool("import"))
            .args(["-display", &self.display, "-window", "root"])
            .arg(format!("png:{}", path.display()))
            .stderr(Stdio::null())
            .status()
            .map_err(|e| format!("run import: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("import failed: {status}"))
        }
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A TCP port that was free a moment ago on loopback.
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener.local_addr().expect("local addr").port()
}

/// Spawns `command` as the leader of a new process group, so [`stop_group`] ends its children too.
pub fn spawn_in_own_group(command: &mut Command, what: &str) -> Child {
    command.process_group(0).stdin(Stdio::null());
    command
        .spawn()
        .unwrap_or_else(|e| panic!("start {what}: {e}"))
}

/// Ends a process group politely, then firmly.
pub fn stop_group(child: &mut Child) {
    let group = format!("-{}", child.id());
    let _ = Command::new("kill")
        .args(["-TERM", "--", &group])
        .stderr(Stdio::null())
        .status();
    for _ in 0..30 {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = Command::new("kill")
        .args(["-KILL", "--", &group])
        .stderr(Stdio::null())
        .status();
    let _ = child.wait();
}

/// Finds a tool on PATH or in cargo's bin folder, or fails with the command that installs it.
pub fn find_tool(name: &str) -> PathBuf {
    try_find_tool(name).unwrap_or_else(|| {
        panic!(
            "{name} not found on PATH or in ~/.cargo/bin: run `cargo xtask test`, which installs it"
        )
    })
}

/// Finds a tool on PATH or in cargo's bin folder.
pub fn try_find_tool(name: &str) -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(cargo_home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(cargo_home).join("bin"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.push(PathBuf::from("/usr/bin"));
    dirs.into_iter().map(|d| d.join(name)).find(|p| p.is_file())
}
