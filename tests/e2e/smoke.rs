//! Smoke scenario: the window opens, a button's handler reaches Rust and the page shows the answer.

use crate::harness::App;

/// The round-trip counter the status bar shows, once the backend has answered (fails fast if the
/// backend answered with an error instead).
fn round_trips(app: &App) -> Option<u64> {
    if let Some(error) = app.text_now("#backend-error") {
        panic!("the backend answered with an error: {error}");
    }
    app.attribute_now("#backend-status", "data-round-trips")?
        .parse()
        .ok()
}

#[test]
fn window_opens_and_a_button_round_trips_to_rust() {
    let app = App::launch("smoke");

    // On mount the UI asks the backend once; the answer names the test's own data folder.
    let first = app.wait_for("the first backend answer", || round_trips(&app));
    let status = app.text("#backend-status");
    let data_dir = app.data_dir().display().to_string();
    assert!(
        status.contains(&data_dir),
        "status must show PUNTE_DATA_DIR {data_dir}: {status}"
    );

    // The click goes to Rust and back: the counter, kept in Rust, moves on.
    app.click("#check-backend");
    app.wait_for("the round-trip counter to move after the click", || {
        round_trips(&app).filter(|now| *now > first)
    });

    let shot = app.screenshot("window");
    let size = std::fs::metadata(&shot).map(|m| m.len()).unwrap_or(0);
    assert!(
        size > 1000,
        "screenshot {} looks empty ({size} bytes)",
        shot.display()
    );

    // The app logs to its rolling file in the data folder.
    let logs = std::fs::read_dir(app.data_dir().join("logs")).expect("log folder exists");
    assert!(
        logs.count() > 0,
        "the app must write a log file under PUNTE_DATA_DIR/logs"
    );
}
