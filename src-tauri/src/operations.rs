//! Long operations (deploy, rollback, logs): each runs on its own task under an id that
//! `cancel` takes, reports through its channel, and ends (through ferry-core's operation
//! runner) with exactly one final event.

use crate::history::{self, HistoryEntry, Outcome};
use crate::sink::ChannelSink;
use crate::state::AppState;
use ferry_core::adapters::secrets::Keyring;
use ferry_core::catalog::Msg;
use ferry_core::events::{Event, Events};
use ferry_core::flows::run::run_operation_then;
use ferry_core::formats::config::Project;
use ferry_core::{CancellationToken, Error};
use std::collections::HashMap;
use std::future::Future;
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Mutex;
use std::time::Instant;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime};

/// The running operations' cancel tokens, by id.
#[derive(Default)]
pub struct Operations {
    next: AtomicU32,
    running: Mutex<HashMap<u32, CancellationToken>>,
}

impl Operations {
    fn begin(&self) -> (u32, CancellationToken) {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let token = CancellationToken::new();
        self.running.lock().unwrap().insert(id, token.clone());
        (id, token)
    }

    fn end(&self, id: u32) {
        self.running.lock().unwrap().remove(&id);
    }

    /// Cancels every running operation; `false` when none runs.
    pub fn cancel_all(&self) -> bool {
        let running = self.running.lock().unwrap();
        for token in running.values() {
            token.cancel();
        }
        !running.is_empty()
    }

    pub fn is_idle(&self) -> bool {
        self.running.lock().unwrap().is_empty()
    }

    /// Cancels operation `id`; `false` when it is not running (any more).
    pub fn cancel(&self, id: u32) -> bool {
        match self.running.lock().unwrap().get(&id) {
            Some(token) => {
                token.cancel();
                true
            }
            None => false,
        }
    }
}

/// What an operation works with.
pub struct Job {
    pub project: Project,
    pub keyring: Keyring,
    pub cancel: CancellationToken,
    pub events: Events,
}

/// How an operation ended well: the final event's message, and the release it left running.
pub struct Done {
    pub message: Msg,
    pub version: Option<String>,
}

/// Whether the operation goes into the project's deploy history.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Record {
    History,
    Nothing,
}

/// Loads `config_path` and runs `work` on its own task under the operation runner; returns
/// the operation's id at once. Before the final event, the history is written and the id
/// retired, so that a UI reacting to the final event sees both.
pub fn start<R, W, F>(
    app: &AppHandle<R>,
    config_path: String,
    channel: Channel<Event>,
    record: Record,
    work: W,
) -> u32
where
    R: Runtime,
    W: FnOnce(Job) -> F + Send + 'static,
    F: Future<Output = Result<Done, Error>> + Send + 'static,
{
    let state = app.state::<AppState>();
    let (id, cancel) = state.operations.begin();
    let keyring = state.keyring.clone();
    let events = ChannelSink::events(channel);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let started_at = chrono::Utc::now();
        let clock = Instant::now();
        let (path, ev) = (config_path.clone(), events.clone());
        let job = async move {
            let project = Project::load(Path::new(&path))?;
            let job = Job {
                project,
                keyring,
                cancel,
                events: ev,
            };
            work(job).await
        };
        let settle = |result: &Result<Done, Error>| {
            if record == Record::History {
                let entry = history_entry(result, started_at, clock);
                // The operation's outcome stands even if the history cannot be written.
                let _ = history::record(&app, &config_path, entry);
            }
            app.state::<AppState>().operations.end(id);
        };
        let _ = run_operation_then(&events, job, settle, |done| done.message.clone()).await;
    });
    id
}

fn history_entry(
    result: &Result<Done, Error>,
    started_at: chrono::DateTime<chrono::Utc>,
    clock: Instant,
) -> HistoryEntry {
    HistoryEntry {
        version: result.as_ref().ok().and_then(|d| d.version.clone()),
        started_at: started_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        duration_ms: clock.elapsed().as_millis() as u64,
        result: match result {
            Ok(_) => Outcome::Finished,
            Err(e) if e.is_cancelled() => Outcome::Cancelled,
            Err(_) => Outcome::Failed,
        },
        message: match result {
            Ok(done) => done.message.text(),
            Err(e) => e.to_string(),
        },
    }
}
