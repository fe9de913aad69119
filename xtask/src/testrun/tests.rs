//! Reading cargo's JSON messages, planning the lanes, running them with passing and failing jobs,
//! and `build`'s failures (a stand-in for cargo: cargo itself never runs here).

use std::path::{Path, PathBuf};

use super::{
    Job, TestBinary, build_with, package_of, parse_artifacts, plan, run_lanes, string_field,
};

/// Lines as `cargo test --no-run --message-format=json-render-diagnostics` prints them: an
/// integration test, a library's unit tests, the app binary the e2e test needs (not a test
/// profile), a build script and a message that is not an artifact.
const MESSAGES: &str = r#"{"reason":"compiler-artifact","package_id":"path+file:///w/crates/engine#punte-engine@0.1.0","manifest_path":"/w/crates/engine/Cargo.toml","target":{"kind":["test"],"crate_types":["bin"],"name":"crash","src_path":"/w/crates/engine/tests/crash.rs","edition":"2024","doc":false,"doctest":false,"test":true},"profile":{"opt_level":"0","debuginfo":"line-tables-only","debug_assertions":true,"overflow_checks":true,"test":true},"features":[],"filenames":["/t/debug/deps/crash-1f2e"],"executable":"/t/debug/deps/crash-1f2e","fresh":true}
{"reason":"compiler-artifact","package_id":"path+file:///w/xtask#0.1.0","manifest_path":"/w/xtask/Cargo.toml","target":{"kind":["bin"],"crate_types":["bin"],"name":"xtask","src_path":"/w/xtask/src/main.rs","edition":"2024","doc":true,"doctest":false,"test":true},"profile":{"opt_level":"0","debuginfo":0,"debug_assertions":true,"overflow_checks":true,"test":true},"features":[],"filenames":["/t/debug/deps/xtask-9a"],"executable":"/t/debug/deps/xtask-9a","fresh":false}
{"reason":"compiler-artifact","package_id":"path+file:///w/src-tauri#punte-app@0.1.0","manifest_path":"/w/src-tauri/Cargo.toml","target":{"kind":["bin"],"crate_types":["bin"],"name":"punte-app","src_path":"/w/src-tauri/src/main.rs","edition":"2024","doc":true,"doctest":false,"test":true},"profile":{"opt_level":"0","debuginfo":"line-tables-only","debug_assertions":true,"overflow_checks":true,"test":false},"features":["custom-protocol","default"],"filenames":["/t/debug/punte-app"],"executable":"/t/debug/punte-app","fresh":true}
{"reason":"compiler-artifact","package_id":"path+file:///w/src-tauri#punte-app@0.1.0","manifest_path":"/w/src-tauri/Cargo.toml","target":{"kind":["test"],"crate_types":["bin"],"name":"e2e","src_path":"/w/src-tauri/../tests/e2e/main.rs","edition":"2024","doc":false,"doctest":false,"test":true},"profile":{"opt_level":"0","debuginfo":"line-tables-only","debug_assertions":true,"overflow_checks":true,"test":true},"features":["custom-protocol","default"],"filenames":["/t/debug/deps/e2e-77"],"executable":"/t/debug/deps/e2e-77","fresh":true}
{"reason":"compiler-artifact","package_id":"registry+https://github.com/rust-lang/crates.io-index#ring@0.17.14","manifest_path":"/r/ring-0.17.14/Cargo.toml","target":{"kind":["custom-build"],"crate_types":["bin"],"name":"build-script-build","src_path":"/r/ring-0.17.14/build.rs","edition":"2021","doc":false,"doctest":false,"test":false},"profile":{"opt_level":"0","debuginfo":0,"debug_assertions":true,"overflow_checks":true,"test":false},"features":[],"filenames":["/t/debug/build/ring-1/build-script-build"],"executable":null,"fresh":true}
{"reason":"build-finished","success":true}"#;

#[test]
fn only_test_profiles_with_an_executable_are_listed() {
    let found = parse_artifacts(MESSAGES);
    let labels: Vec<String> = found.iter().map(TestBinary::label).collect();
    assert_eq!(
        labels,
        [
            "punte-engine/crash (test)",
            "xtask/xtask (bin)",
            "punte-app/e2e (test)"
        ]
    );
    assert_eq!(found[0].path, PathBuf::from("/t/debug/deps/crash-1f2e"));
    assert_eq!(
        found[0].manifest,
        PathBuf::from("/w/crates/engine/Cargo.toml")
    );
    assert_eq!(found[1].version, "0.1.0");
}

#[test]
fn a_failed_build_lists_what_was_built() {
    assert!(parse_artifacts(r#"{"reason":"build-finished","success":false}"#).is_empty());
}

#[test]
fn string_fields_are_unescaped_and_the_first_one_wins() {
    let json = r#"{"name":"C:\\dir\\a \"b\"","x":{"name":"second"}}"#;
    assert_eq!(string_field(json, "name").unwrap(), r#"C:\dir\a "b""#);
    assert_eq!(string_field(json, "missing"), None);
    assert_eq!(string_field(r#"{"name":"unterminated"#, "name"), None);
}

#[test]
fn package_ids_old_and_new() {
    let new = package_of("path+file:///w/crates/core#punte-core@0.1.0").unwrap();
    assert_eq!(new, ("punte-core".to_owned(), "0.1.0".to_owned()));
    let old = package_of("path+file:///w/xtask#0.1.0").unwrap();
    assert_eq!(old, ("xtask".to_owned(), "0.1.0".to_owned()));
    assert_eq!(package_of("no fragment"), None);
}

#[test]
fn e2e_has_its_own_lane_and_the_longest_start_first() {
    let binary = |package: &str, target: &str| TestBinary {
        package: package.into(),
        version: "0.1.0".into(),
        target: target.into(),
        kind: "test".into(),
        path: PathBuf::from(format!("/t/{target}")),
        manifest: PathBuf::from(format!("/w/{package}/Cargo.toml")),
    };
    let binaries = [
        binary("punte-core", "allocation"),
        binary("punte-app", "e2e"),
        binary("punte-store", "crash"),
        binary("punte-engine", "crash"),
    ];
    let (shared, e2e) = plan(Path::new("/w"), &binaries);
    let labels: Vec<&str> = shared.iter().map(|j| j.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "punte-engine/crash (test)",
            "punte-store/crash (test)",
            "punte-core/allocation (test)",
            "doctests (cargo test --workspace --doc)",
        ]
    );
    assert_eq!(e2e.len(), 1);
    assert_eq!(e2e[0].label, "punte-app/e2e (test)");
}

#[test]
fn a_binary_runs_from_its_package_folder_with_cargo_variables() {
    let binary = &parse_artifacts(MESSAGES)[0];
    let command = binary.command(Path::new("/w"));
    assert_eq!(
        command.get_current_dir(),
        Some(Path::new("/w/crates/engine"))
    );
    let env: Vec<(String, String)> = command
        .get_envs()
        .filter_map(|(k, v)| Some((k.to_str()?.to_owned(), v?.to_str()?.to_owned())))
        .collect();
    assert!(env.contains(&("CARGO_PKG_NAME".into(), "punte-engine".into())));
    assert!(env.contains(&("CARGO_MANIFEST_DIR".into(), "/w/crates/engine".into())));
    let libs = env.iter().find(|(k, _)| k == "LD_LIBRARY_PATH").unwrap();
    assert!(libs.1.starts_with("/t/debug/deps"));
}

/// Two jobs that each wait (up to 10 s) for the other to have started: they pass only if the
/// shared lanes really run side by side.
#[cfg(unix)]
#[test]
fn the_shared_lanes_run_side_by_side() {
    let dir = std::env::temp_dir().join(format!("xtask-lanes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let job = |me: &str, other: &str| {
        let mut command = std::process::Command::new("sh");
        command.current_dir(&dir).args([
            "-c",
            &format!("touch {me}; i=0; while [ ! -e {other} ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i+1)); done; test -e {other}"),
        ]);
        Job {
            label: me.to_owned(),
            command,
        }
    };
    let outcomes = run_lanes(
        vec![job("a", "b"), job("b", "a")],
        Vec::new(),
        &dir.join("logs"),
    );
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(outcomes.len(), 2);
    assert!(outcomes.iter().all(|o| o.ok), "the two lanes took turns");
}

/// A job that fails (exit 1, with output) beside one that passes, in the shared lanes and in
/// the end-to-end lane: every job runs, the failing ones are reported by name and their output
/// is kept in their log.
#[cfg(unix)]
#[test]
fn a_failing_job_is_reported_by_name_and_the_others_still_run() {
    let dir = std::env::temp_dir().join(format!("xtask-failing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let job = |label: &str, script: &str| {
        let mut command = std::process::Command::new("sh");
        command.current_dir(&dir).args(["-c", script]);
        Job {
            label: label.to_owned(),
            command,
        }
    };
    let logs = dir.join("logs");
    let outcomes = run_lanes(
        vec![
            job("broken", "echo 'assertion failed: boom'; exit 1"),
            job("fine", "echo fine"),
        ],
        vec![job("e2e broken", "exit 3")],
        &logs,
    );
    let log = std::fs::read_to_string(logs.join("broken.log")).unwrap_or_default();
    std::fs::remove_dir_all(&dir).unwrap();
    let mut verdicts: Vec<(&str, bool)> =
        outcomes.iter().map(|o| (o.label.as_str(), o.ok)).collect();
    verdicts.sort_unstable();
    assert_eq!(
        verdicts,
        [("broken", false), ("e2e broken", false), ("fine", true)]
    );
    assert!(log.contains("assertion failed: boom"), "{log:?}");
}

/// `build`'s failure branches, with a stand-in for cargo (`sh -c`, cargo's arguments ignored):
/// a build that fails after listing a binary is an error with cargo's status, and one that
/// passes but lists no test binary is an error too.
#[cfg(unix)]
#[test]
fn a_failed_build_is_an_error_even_with_binaries_built() {
    let fake = |script: &str| {
        let mut command = std::process::Command::new("sh");
        command.args(["-c", script, MESSAGES.lines().next().unwrap()]);
        command
    };
    let failed = build_with(fake(r#"printf '%s\n' "$0"; exit 101"#)).unwrap_err();
    assert!(
        failed.starts_with("cargo test --no-run failed") && failed.contains("101"),
        "{failed}"
    );
    let empty = build_with(fake("exit 0")).unwrap_err();
    assert!(empty.contains("listed no test binary"), "{empty}");
    let built = build_with(fake(r#"printf '%s\n' "$0""#)).unwrap();
    assert_eq!(built.len(), 1);
    assert_eq!(built[0].label(), "punte-engine/crash (test)");
}
