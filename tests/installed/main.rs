//! The installed package, as a merchant gets it: `dpkg -i` the `.deb` that `cargo xtask bundle`
//! made, start the *installed* binary under Xvfb (WebDriver, as the e2e tests), see its window,
//! quit it, remove the package and find nothing left; then the signed update from version N to
//! N+1 on a loopback feed, with a tampered artifact refused first (nothing changes).
//!
//! These need root (dpkg), the bundles and the update fixture (`cargo xtask bundle
//! --update-fixture DIR`, named by `PUNTE_SHIP_FIXTURE`), so they are `#[ignore]`d in a plain
//! `cargo test`; `cargo xtask test` runs them with `--ignored` after its release-bundle step.

#[allow(dead_code)]
#[path = "../e2e/harness/mod.rs"]
mod harness;
mod packages;
mod update;

use std::path::{Path, PathBuf};

use harness::App;
use packages::Package;

/// What `cargo xtask bundle --update-fixture` wrote.
pub struct Fixture {
    pub current_version: String,
    pub current_deb: PathBuf,
    pub next_version: String,
    pub next_deb: PathBuf,
    pub next_sig: PathBuf,
    pub pubkey: String,
}

pub fn fixture() -> Fixture {
    let path = std::env::var_os("PUNTE_SHIP_FIXTURE").expect(
        "PUNTE_SHIP_FIXTURE names fixture.json of `cargo xtask bundle --update-fixture DIR` \
         (cargo xtask test sets it)",
    );
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", Path::new(&path).display()));
    let v: serde_json::Value = serde_json::from_str(&text).expect("fixture.json is JSON");
    let s = |k: &str| {
        v[k].as_str()
            .unwrap_or_else(|| panic!("{k} in fixture.json"))
            .to_owned()
    };
    Fixture {
        current_version: s("current_version"),
        current_deb: s("current_deb").into(),
        next_version: s("next_version"),
        next_deb: s("next_deb").into(),
        next_sig: s("next_sig").into(),
        pubkey: s("pubkey"),
    }
}

/// The version the window shows (the header's label, from `update_status`).
pub fn shown_version(app: &App) -> String {
    app.wait_for("the version label", || {
        app.attribute_now("[data-testid=app-version]", "data-version")
            .filter(|v| !v.is_empty())
    })
}

#[test]
#[ignore = "needs root and `cargo xtask bundle --update-fixture`; run by `cargo xtask test`"]
fn the_deb_installs_its_binary_opens_a_window_quits_and_is_removed_cleanly() {
    let f = fixture();
    let size = std::fs::metadata(&f.current_deb).expect("the .deb").len();
    assert!(
        size <= 15_000_000,
        ".deb is {size} bytes, over the 15 MB goal"
    );

    let package = Package::install(&f.current_deb);
    assert_eq!(package.version(), Some(f.current_version.clone()));
    eprintln!(
        "installer: .deb {size} bytes, installed size {} KiB",
        package.installed_kib()
    );
    let files = package.files();
    let binary = package.binary();
    for wanted in [
        binary.clone(),
        PathBuf::from("/usr/share/applications/Punte.desktop"),
    ] {
        assert!(
            files.contains(&wanted),
            "{} is not in the package: {files:?}",
            wanted.display()
        );
        assert!(wanted.is_file(), "{} was not installed", wanted.display());
    }
    let desktop =
        std::fs::read_to_string("/usr/share/applications/Punte.desktop").expect("desktop file");
    assert!(desktop.contains("Exec=punte-app"), "{desktop}");

    let app = App::launch_binary("installed", &binary, &[]);
    let status = app.text("#backend-status");
    assert!(
        status.contains(&f.current_version),
        "the installed app answers: {status}"
    );
    assert_eq!(shown_version(&app), f.current_version);
    let shot = app.screenshot("window");
    assert!(
        std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0) > 1000,
        "empty screenshot"
    );
    drop(app);
    packages::wait_no_process(&binary);

    package.remove();
    assert_eq!(
        packages::status("punte"),
        None,
        "dpkg still knows the package"
    );
    let left: Vec<&PathBuf> = files
        .iter()
        .filter(|p| p.starts_with("/usr") && p.is_file())
        .collect();
    assert!(left.is_empty(), "files left after removal: {left:?}");
}
