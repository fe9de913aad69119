//! Started at login (`punte-app --autostart`, what the login entry runs): Punte opens in the tray
//! with no window on screen and its engine syncs; a second launch (the merchant opening Punte
//! from the menu) hands over to it and its window appears. Window state is read from the X server
//! (`xwininfo`), so no WebDriver is involved.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::{self, processes};

/// Map states of the top-level windows titled "Punte" on `display`.
fn punte_windows(display: &str) -> Vec<String> {
    let xwininfo = processes::find_tool("xwininfo");
    let tree = Command::new(&xwininfo)
        .args(["-display", display, "-root", "-tree"])
        .output()
        .expect("xwininfo -tree");
    let tree = String::from_utf8_lossy(&tree.stdout);
    tree.lines()
        .filter(|l| l.contains("\"Punte\""))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .map(|id| {
            let info = Command::new(&xwininfo)
                .args(["-display", display, "-id", &id])
                .output()
                .expect("xwininfo -id");
            String::from_utf8_lossy(&info.stdout)
                .lines()
                .find_map(|l| l.trim().strip_prefix("Map State: ").map(str::to_owned))
                .unwrap_or_default()
        })
        .collect()
}

fn wait_log(dir: &std::path::Path, what: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let mut log = String::new();
        for e in std::fs::read_dir(dir.join("logs"))
            .into_iter()
            .flatten()
            .flatten()
        {
            log.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
        }
        if log.contains(what) {
            return log;
        }
        assert!(Instant::now() < deadline, "no {what:?} in the log:\n{log}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn started_at_login_it_syncs_in_the_tray_without_a_window_until_opened() {
    let _turn = harness::one_app_at_a_time();
    let display = processes::Xvfb::start();
    let data = tempfile::tempdir().expect("temp dir");
    // One session bus for both launches, so the second hands over to the first.
    let mut bus = Command::new(processes::find_tool("dbus-daemon"))
        .args(["--session", "--nofork", "--print-address=1"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("dbus-daemon");
    let mut address = String::new();
    BufReader::new(bus.stdout.take().expect("piped"))
        .read_line(&mut address)
        .expect("bus address");
    let launch = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_punte-app"));
        c.args(args)
            .env("DISPLAY", display.name())
            .env("DBUS_SESSION_BUS_ADDRESS", address.trim())
            .env("PUNTE_DATA_DIR", data.path())
            .env("PUNTE_LOG", "info")
            .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
            .env("LIBGL_ALWAYS_SOFTWARE", "1")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        processes::spawn_in_own_group(&mut c, "punte-app")
    };
    let mut first = launch(&[punte_app::AUTOSTART_ARG]);

    let log = wait_log(data.path(), "sync run finished");
    assert!(
        log.contains("started at login: in the tray, no window"),
        "started in the tray:\n{log}"
    );
    let states = punte_windows(display.name());
    assert!(
        !states.iter().any(|s| s == "IsViewable"),
        "no window on screen at login: {states:?}"
    );

    // Opening Punte from the menu: the running instance shows its window.
    let mut second = launch(&[]);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !punte_windows(display.name())
        .iter()
        .any(|s| s == "IsViewable")
    {
        assert!(Instant::now() < deadline, "the window never appeared");
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = second.wait();
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("../e2e");
    let _ = std::fs::create_dir_all(&dir);
    let _ = display.capture(&dir.join("login_start-opened.png"));
    processes::stop_group(&mut first);
    let _ = bus.kill();
    let _ = bus.wait();
}
