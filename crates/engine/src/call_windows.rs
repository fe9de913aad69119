//! Each billing service's call window and block, kept in SQLite (one settings row, through the
//! store thread) so a restart in the middle of bulk invoicing keeps counting the calls already
//! made and keeps honouring a block the service announced, instead of starting fresh and
//! earning SmartBill's 10-minute block. Loaded once when the client is built; every save is
//! queued on the store thread without waiting (writes stay in order).

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use chrono::Utc;
use punte_billing::limit::{CallJournal, CallWindow};
use punte_store::StoreHandle;

use crate::error::EngineError;
use crate::kv;

/// The settings row holding every pacing group's window.
pub const CALL_WINDOWS: &str = "engine.billing_call_windows";

/// [`CallJournal`] over the store.
pub(crate) struct StoreJournal {
    store: StoreHandle,
    windows: Mutex<HashMap<String, CallWindow>>,
}

impl StoreJournal {
    /// The journal with what the store kept.
    pub(crate) async fn load(store: &StoreHandle) -> Result<Self, EngineError> {
        let windows: HashMap<String, CallWindow> =
            kv::get(store, CALL_WINDOWS).await?.unwrap_or_default();
        Ok(Self {
            store: store.clone(),
            windows: Mutex::new(windows),
        })
    }
}

impl CallJournal for StoreJournal {
    fn load(&self, group: &str) -> Option<CallWindow> {
        let windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        windows.get(group).cloned()
    }

    fn save(&self, group: &str, window: &CallWindow) {
        let all = {
            let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
            windows.insert(group.to_owned(), window.clone());
            windows.clone()
        };
        // Queued, not awaited: the call that ended must not wait for the disk.
        let _queued = self
            .store
            .call(move |s| kv::write(s, CALL_WINDOWS, &all, Utc::now()));
    }
}
