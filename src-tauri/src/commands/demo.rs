//! Demo shop commands for the Simulate panel: `demo_status`, `simulate_order`,
//! `simulate_receipt`, `simulate_drift`, `simulate_offline`. They act on the simulators only;
//! the engine notices the change at its next sync, as it would with a real shop.

use serde::Serialize;
use tauri::State;

use super::invalid;
use crate::backend::{Backend, Running};
use crate::demo::{Demo, DemoStatus};
use crate::{Arg, CommandError};

/// Largest quantity one simulation may move.
const MAX_QUANTITY: i64 = 10_000;

/// What a simulation did, and the panel's state after it.
#[derive(Debug, Serialize)]
pub struct SimulationResult {
    pub message: String,
    pub demo: DemoStatus,
}

#[tauri::command]
pub async fn demo_status(backend: State<'_, Backend>) -> Result<DemoStatus, CommandError> {
    let running = backend.running().await?;
    Ok(running
        .demo
        .as_ref()
        .map_or_else(DemoStatus::inactive, |d| d.status()))
}

/// Checks a product code and quantity against the demo catalogue before anything is sent, and
/// answers the demo shop to send it to.
fn checked<'a>(running: &'a Running, code: &str, quantity: i64) -> Result<&'a Demo, CommandError> {
    let demo = running.demo.as_ref().ok_or_else(inactive)?;
    if !(1..=MAX_QUANTITY).contains(&quantity) {
        return Err(invalid(format!(
            "Cantitatea trebuie să fie între 1 și {MAX_QUANTITY} / The quantity must be between 1 and {MAX_QUANTITY}"
        )));
    }
    if !demo.status().products.iter().any(|p| p.code == code) {
        return Err(invalid(format!(
            "{code:?} nu este un produs al magazinului demo / {code:?} is not a demo product"
        )));
    }
    Ok(demo)
}

fn inactive() -> CommandError {
    CommandError::new(
        "demo.inactive",
        "Magazinul demo nu este pornit / The demo shop is not running",
    )
}

fn result(running: &Running, message: String) -> Result<SimulationResult, CommandError> {
    let demo = running.demo.as_ref().ok_or_else(inactive)?;
    Ok(SimulationResult {
        message,
        demo: demo.status(),
    })
}

#[tauri::command]
pub async fn simulate_order(
    backend: State<'_, Backend>,
    code: Arg<String>,
    quantity: Arg<i64>,
) -> Result<SimulationResult, CommandError> {
    let (code, quantity) = (code.get("code")?, quantity.get("quantity")?);
    let running = backend.running().await?;
    let demo = checked(&running, &code, quantity)?;
    running.acted();
    let message = demo.place_order(&code, quantity).await?;
    result(&running, message)
}

#[tauri::command]
pub async fn simulate_receipt(
    backend: State<'_, Backend>,
    code: Arg<String>,
    quantity: Arg<i64>,
) -> Result<SimulationResult, CommandError> {
    let (code, quantity) = (code.get("code")?, quantity.get("quantity")?);
    let running = backend.running().await?;
    let demo = checked(&running, &code, quantity)?;
    running.acted();
    let message = demo.receive(&code, quantity).await?;
    result(&running, message)
}

#[tauri::command]
pub async fn simulate_drift(
    backend: State<'_, Backend>,
    code: Arg<String>,
    delta: Arg<i64>,
) -> Result<SimulationResult, CommandError> {
    let (code, delta) = (code.get("code")?, delta.get("delta")?);
    let running = backend.running().await?;
    if delta == 0 {
        return Err(invalid(
            "Modificarea nu poate fi zero / The change must not be zero",
        ));
    }
    let demo = checked(&running, &code, delta.abs())?;
    running.acted();
    let message = demo.drift(&code, delta, running.location_id).await?;
    result(&running, message)
}

#[tauri::command]
pub async fn simulate_offline(
    backend: State<'_, Backend>,
    service: Arg<String>,
    offline: Arg<bool>,
) -> Result<SimulationResult, CommandError> {
    let (service, offline) = (service.get("service")?, offline.get("offline")?);
    let running = backend.running().await?;
    let demo = running.demo.as_ref().ok_or_else(inactive)?;
    let service = match service.as_str() {
        "shopify" => "shopify",
        "billing" => "billing",
        other => {
            return Err(invalid(format!(
                "Serviciu necunoscut {other:?} (shopify sau billing) / Unknown service {other:?} (shopify or billing)"
            )));
        }
    };
    running.acted();
    let message = demo.set_offline(service, offline);
    result(&running, message)
}
