//! The main window keeps its size between runs: `window: {width, height}` (logical pixels) in
//! the settings store, restored at start and saved when the window closes.
//!
//! Closing the window while an operation runs cancels it and waits for it to end before the
//! window goes: a release switch under way puts the previous release back first.

use crate::history::STORE;
use crate::state::AppState;
use serde_json::json;
use std::time::{Duration, Instant};
use tauri::{LogicalSize, Manager, Runtime, Window, WindowEvent};
use tauri_plugin_store::StoreExt;

const KEY: &str = "window";
/// Smaller than this is a minimized or collapsing window, not a size to keep.
const MIN: f64 = 320.0;
/// The longest a closing window waits for cancelled operations: a restore's retries and more.
const CLOSE_WAIT: Duration = Duration::from_secs(120);

/// Gives the main window the size it had last time.
pub fn restore<R: Runtime>(app: &tauri::App<R>) {
    let (Some(window), Ok(store)) = (app.get_webview_window("main"), app.store(STORE)) else {
        return;
    };
    let Some(size) = store.get(KEY) else { return };
    let dim = |k: &str| size.get(k).and_then(|v| v.as_f64()).filter(|v| *v >= MIN);
    if let (Some(width), Some(height)) = (dim("width"), dim("height")) {
        let _ = window.set_size(LogicalSize::new(width, height));
    }
}

/// Follows the main window's size, and writes the store when it closes.
pub fn on_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if window.label() != "main" {
        return;
    }
    let Ok(store) = window.store(STORE) else {
        return;
    };
    match event {
        WindowEvent::Resized(size) => {
            let Ok(scale) = window.scale_factor() else {
                return;
            };
            let size: LogicalSize<f64> = size.to_logical(scale);
            if size.width >= MIN && size.height >= MIN {
                store.set(KEY, json!({ "width": size.width, "height": size.height }));
            }
        }
        WindowEvent::CloseRequested { api, .. } => {
            let _ = store.save();
            if window.state::<AppState>().operations.cancel_all() {
                api.prevent_close();
                let window = window.clone();
                tauri::async_runtime::spawn(async move {
                    let deadline = Instant::now() + CLOSE_WAIT;
                    while !window.state::<AppState>().operations.is_idle()
                        && Instant::now() < deadline
                    {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    let _ = window.destroy();
                });
            }
        }
        _ => {}
    }
}
