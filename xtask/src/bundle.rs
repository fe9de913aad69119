//! `cargo xtask bundle`: one release build of the app and the platform's installers, made by the
//! Tauri bundler (`@tauri-apps/cli` from the npm registry, installed by `npm ci` in ui/). On
//! Linux: `.deb` and `.rpm` (neither downloads anything at build time; AppImage would, so it is
//! not built). With `TAURI_SIGNING_PRIVATE_KEY` set (CI takes it from a secret) the packages get
//! their minisign `.sig` for the updater; without it they are built unsigned.
//!
//! `--update-fixture DIR` also makes what the update test needs, from the same build: a
//! throwaway key pair, and version N+1 (the app crate rebuilt with Tauri's `TAURI_CONFIG`
//! version override, dependencies reused) bundled as a `.deb` signed with the throwaway key.
//! `DIR/fixture.json` names the files.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::prerequisites::{self, Purpose};
use crate::steps::{build_ui, cargo, run_checked};

/// What `bundle` produced (also written as JSON for the installer tests).
struct Made {
    version: String,
    deb: PathBuf,
    rpm: Option<PathBuf>,
}

pub fn bundle(root: &Path, args: &[String]) -> Result<(), String> {
    // `--ui-built`: the test command has just built ui/dist from these sources (a second build
    // would rewrite it while cargo test embeds it).
    let ui_built = args.first().is_some_and(|a| a == "--ui-built");
    let fixture = match &args[usize::from(ui_built)..] {
        [] => None,
        [flag, dir] if flag == "--update-fixture" => Some(PathBuf::from(dir)),
        _ => return Err("usage: cargo xtask bundle [--update-fixture DIR]".into()),
    };
    prerequisites::ensure_all(root, Purpose::Run)?;
    if !ui_built {
        build_ui(root)?;
    }
    let version = workspace_version(root)?;
    let t = Instant::now();
    release_build(root, None)?;
    eprintln!("xtask: release build {:.0}s", t.elapsed().as_secs_f64());
    let signed = std::env::var_os("TAURI_SIGNING_PRIVATE_KEY").is_some();
    let t = Instant::now();
    let made = tauri_bundle(root, &version, &["deb", "rpm"], signed, &[])?;
    eprintln!("xtask: bundles {:.0}s", t.elapsed().as_secs_f64());
    for path in [Some(&made.deb), made.rpm.as_ref()].into_iter().flatten() {
        eprintln!("xtask: {} ({})", path.display(), megabytes(path));
    }
    if !signed {
        eprintln!("xtask: unsigned (set TAURI_SIGNING_PRIVATE_KEY for the updater's .sig files)");
    }
    if let Some(dir) = fixture {
        update_fixture(root, &dir, &made)?;
    }
    Ok(())
}

/// The one version: `[workspace.package] version` in the root Cargo.toml.
fn workspace_version(root: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let section = text
        .split("[workspace.package]")
        .nth(1)
        .ok_or("no [workspace.package] in Cargo.toml")?;
    section
        .lines()
        .find_map(|l| l.trim().strip_prefix("version = "))
        .map(|v| v.trim_matches('"').to_owned())
        .ok_or_else(|| "no version in [workspace.package]".into())
}

/// `cargo build --release -p punte-app`, with Tauri's config override when given.
fn release_build(root: &Path, tauri_config: Option<&str>) -> Result<(), String> {
    let mut command = cargo(root);
    command.args([
        "build",
        "--release",
        "--locked",
        "--package",
        "punte-app",
        "--bin",
        "punte-app",
    ]);
    match tauri_config {
        Some(c) => command.env("TAURI_CONFIG", c),
        None => command.env_remove("TAURI_CONFIG"),
    };
    run_checked(&mut command, "cargo build --release")
}

/// The release folder cargo writes to (honours `CARGO_TARGET_DIR`).
fn release_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|d| if d.is_absolute() { d } else { root.join(d) })
        .unwrap_or_else(|| root.join("target"))
        .join("release")
}

/// Runs the Tauri bundler on the binary already built, for `formats`.
fn tauri_bundle(
    root: &Path,
    version: &str,
    formats: &[&str],
    signed: bool,
    env: &[(&str, &str)],
) -> Result<Made, String> {
    let cli = root.join("ui/node_modules/@tauri-apps/cli/tauri.js");
    if !cli.is_file() {
        return Err(format!("{} is missing: run `npm ci` in ui/", cli.display()));
    }
    let mut config = format!(r#"{{"version":"{version}""#);
    if !signed {
        config.push_str(r#","bundle":{"createUpdaterArtifacts":false}"#);
    }
    config.push('}');
    let mut command = Command::new("node");
    command
        .arg(&cli)
        .args([
            "bundle",
            "--ci",
            "--bundles",
            &formats.join(","),
            "--config",
            &config,
        ])
        .current_dir(root.join("src-tauri"))
        .envs(env.iter().copied());
    run_checked(&mut command, "tauri bundle")?;
    let bundle = release_dir(root).join("bundle");
    let deb = bundle.join(format!("deb/Punte_{version}_amd64.deb"));
    if !deb.is_file() {
        return Err(format!("the bundler did not write {}", deb.display()));
    }
    let rpm =
        Some(bundle.join(format!("rpm/Punte-{version}-1.x86_64.rpm"))).filter(|p| p.is_file());
    Ok(Made {
        version: version.to_owned(),
        deb,
        rpm,
    })
}

/// N+1 from the same sources: only the app crate is rebuilt (Tauri reads `TAURI_CONFIG` at
/// compile time), bundled as a `.deb` signed with a throwaway key made here.
fn update_fixture(root: &Path, dir: &Path, current: &Made) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let key = dir.join("throwaway.key");
    let cli = root.join("ui/node_modules/@tauri-apps/cli/tauri.js");
    run_checked(
        Command::new("node")
            .arg(&cli)
            .args(["signer", "generate", "--ci", "--force", "-p", ""])
            .arg("-w")
            .arg(&key),
        "tauri signer generate",
    )?;
    let next = next_patch(&current.version)?;
    let t = Instant::now();
    release_build(root, Some(&format!(r#"{{"version":"{next}"}}"#)))?;
    let key_text = std::fs::read_to_string(&key).map_err(|e| e.to_string())?;
    let made = tauri_bundle(
        root,
        &next,
        &["deb"],
        true,
        &[
            ("TAURI_SIGNING_PRIVATE_KEY", key_text.trim()),
            ("TAURI_SIGNING_PRIVATE_KEY_PASSWORD", ""),
        ],
    )?;
    eprintln!(
        "xtask: version {next} for the update test {:.0}s",
        t.elapsed().as_secs_f64()
    );
    let sig = PathBuf::from(format!("{}.sig", made.deb.display()));
    let copy = |from: &Path| -> Result<PathBuf, String> {
        let to = dir.join(from.file_name().ok_or("no file name")?);
        std::fs::copy(from, &to).map_err(|e| format!("copy {}: {e}", from.display()))?;
        Ok(to)
    };
    let pubkey =
        std::fs::read_to_string(dir.join("throwaway.key.pub")).map_err(|e| e.to_string())?;
    let json = format!(
        "{{\n  \"current_version\": {:?},\n  \"current_deb\": {:?},\n  \"current_rpm\": {:?},\n  \"next_version\": {:?},\n  \"next_deb\": {:?},\n  \"next_sig\": {:?},\n  \"pubkey\": {:?}\n}}\n",
        current.version,
        copy(&current.deb)?.display().to_string(),
        current
            .rpm
            .as_deref()
            .map(copy)
            .transpose()?
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
        next,
        copy(&made.deb)?.display().to_string(),
        copy(&sig)?.display().to_string(),
        pubkey.trim(),
    );
    std::fs::write(dir.join("fixture.json"), json).map_err(|e| e.to_string())?;
    eprintln!("xtask: update fixture in {}", dir.display());
    Ok(())
}

fn next_patch(version: &str) -> Result<String, String> {
    let mut parts: Vec<u64> = version
        .split('.')
        .map(|p| {
            p.parse()
                .map_err(|_| format!("version {version} is not X.Y.Z"))
        })
        .collect::<Result<_, _>>()?;
    let last = parts.last_mut().ok_or("empty version")?;
    *last += 1;
    Ok(parts
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join("."))
}

fn megabytes(path: &Path) -> String {
    let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_patch_bumps_the_last_number() {
        assert_eq!(super::next_patch("0.1.9").unwrap(), "0.1.10");
        assert!(super::next_patch("0.1.x").is_err());
    }
}
