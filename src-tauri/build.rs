//! Generates Tauri's context and declares the app's own commands, so each one is governed by the
//! capability files (a command not listed here cannot be called from the web view).
fn main() {
    let manifest = tauri_build::AppManifest::new().commands(&[
        "app_status",
        "engine_status",
        "sync_now",
        "pause_sync",
        "resume_sync",
        "orders_page",
        "order_detail",
        "issue_invoices",
        "mark_dispatched",
        "resolve_review",
        "stock_overview",
        "preview_sync",
        "apply_sync",
        "recent_runs",
        "audit_page",
        "export_audit_csv",
        "findings",
        "stock_history",
        "demo_status",
        "simulate_order",
        "simulate_receipt",
        "simulate_drift",
        "simulate_offline",
        "connections",
        "test_connection",
        "save_connection",
        "preferences",
        "save_preferences",
        "update_status",
        "check_update",
        "install_update",
        "login_start",
        "set_login_start",
        "ui_language",
        "set_ui_language",
    ]);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed: check src-tauri/tauri.conf.json and capabilities/");
}
