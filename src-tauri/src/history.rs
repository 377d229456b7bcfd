//! Each project's deploy history, newest first, in the settings store under
//! `history[config_path]`. Only the shell writes it.

use crate::error::{AppError, Kind};
use crate::state::AppState;
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_store::StoreExt;

/// The store file the UI's settings live in too.
pub const STORE: &str = "settings.json";
const KEY: &str = "history";
/// Entries kept per project.
pub const KEEP: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// The release the operation left running (`None` when it failed).
    pub version: Option<String>,
    /// RFC 3339, UTC.
    pub started_at: String,
    pub duration_ms: u64,
    pub result: Outcome,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Finished,
    Failed,
    Cancelled,
}

fn store_error(e: tauri_plugin_store::Error) -> AppError {
    AppError {
        kind: Kind::Other,
        message: format!("cannot use the settings file {STORE}: {e}"),
        message_id: None,
        args: Default::default(),
        fingerprint: None,
        expected: None,
        diagnosis: None,
    }
}

/// The project's entries, newest first. Entries that do not read as history are skipped.
pub fn read<R: Runtime>(
    app: &AppHandle<R>,
    config_path: &str,
) -> Result<Vec<HistoryEntry>, AppError> {
    let store = app.store(STORE).map_err(store_error)?;
    let entries = store
        .get(KEY)
        .and_then(|all| all.get(config_path).cloned())
        .and_then(|list| list.as_array().cloned())
        .unwrap_or_default();
    Ok(entries
        .into_iter()
        .filter_map(|e| serde_json::from_value(e).ok())
        .collect())
}

/// Puts `entry` first in the project's history, keeps the newest [`KEEP`], and saves the file.
pub fn record<R: Runtime>(
    app: &AppHandle<R>,
    config_path: &str,
    entry: HistoryEntry,
) -> Result<(), AppError> {
    let state = app.state::<AppState>();
    let _one_writer = state.history_lock.lock().unwrap();
    let mut entries = read(app, config_path)?;
    entries.insert(0, entry);
    entries.truncate(KEEP);
    let store = app.store(STORE).map_err(store_error)?;
    let mut all = match store.get(KEY) {
        Some(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    all.insert(
        config_path.to_string(),
        serde_json::to_value(entries).unwrap_or_default(),
    );
    store.set(KEY, serde_json::Value::Object(all));
    store.save().map_err(store_error)
}
