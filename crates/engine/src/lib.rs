//! Tokio orchestration without tauri: the scheduler, sync jobs, the invoice outbox and the events
//! the desktop shell turns into UI updates and notifications.
