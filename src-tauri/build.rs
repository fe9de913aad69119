//! Generates Tauri's context and declares the app's own commands, so each one is governed by the
//! capability files (a command not listed here cannot be called from the web view).
fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&["app_status"]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed: check src-tauri/tauri.conf.json and capabilities/");
}
