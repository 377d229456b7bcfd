//! The one event vocabulary: everything a long operation reports, for the CLI (`--json`, one
//! object per line) and the GUI (a Tauri channel) alike. Every stream ends with exactly one
//! `Finished` or `Failed`, which only the operation runner (`run::run_operation`) emits.

use crate::catalog::{Arg, Msg};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// The catalog id and arguments of an event's `message`, so that the app can render it in its
/// own language (the `message` itself is in the process's).
pub type Args = BTreeMap<String, Arg>;

/// The stage of the pipeline an event belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    Check,
    Build,
    /// The build context on its way to the Docker engine, in bytes: progress only, while the
    /// `Build` step runs (no start or finish of its own).
    Context,
    Push,
    Transfer,
    Connect,
    Probe,
    Pull,
    Start,
    Health,
    Rollback,
    Cleanup,
    Status,
    Logs,
}

impl Step {
    pub fn label(self) -> &'static str {
        match self {
            Step::Check => "check",
            Step::Build => "build",
            Step::Context => "context",
            Step::Push => "push",
            Step::Transfer => "transfer",
            Step::Connect => "connect",
            Step::Probe => "probe",
            Step::Pull => "pull",
            Step::Start => "start",
            Step::Health => "health",
            Step::Rollback => "rollback",
            Step::Cleanup => "cleanup",
            Step::Status => "status",
            Step::Logs => "logs",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Info,
    Warning,
}

/// What went wrong, in words a user can act on, with the evidence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Diagnosis {
    /// One line: what failed.
    pub summary: Msg,
    /// What to do about it.
    pub hint: Option<Msg>,
    /// Container exit code, when a container stopped.
    pub exit_code: Option<i64>,
    /// Whether the kernel killed the container for exceeding its memory limit.
    pub oom_killed: bool,
    /// The last lines the container printed.
    pub log_tail: Vec<String>,
    /// Whether the previous version is serving again.
    pub restored_previous: Option<String>,
    /// Whether that previous version was never stopped (the new one failed beside it).
    #[serde(default)]
    pub previous_untouched: bool,
    /// The stable id of the recognised cause (`exec_format`, `oom_killed`, `registry_ca`...).
    #[serde(default)]
    pub cause: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    StepStarted {
        step: Step,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_id: Option<String>,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        args: Args,
    },
    StepFinished {
        step: Step,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_id: Option<String>,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        args: Args,
        elapsed_ms: u64,
    },
    /// A step that stopped before it finished (an error, a cancel, a panic); `message` is the
    /// one it started with.
    StepFailed {
        step: Step,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_id: Option<String>,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        args: Args,
        elapsed_ms: u64,
    },
    /// Bytes (or items) done out of a total, when the total is known.
    Progress {
        step: Step,
        current: u64,
        total: Option<u64>,
    },
    Log {
        step: Step,
        line: String,
        /// The line's time (RFC 3339, UTC), when the app's log was asked for with timestamps.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at: Option<String>,
    },
    Notice {
        step: Step,
        level: Level,
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_id: Option<String>,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        args: Args,
    },
    /// A structured result (status report, probe, doctor finding) as JSON.
    Data {
        step: Step,
        kind: String,
        data: serde_json::Value,
    },
    Finished {
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_id: Option<String>,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        args: Args,
    },
    Failed {
        message: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_id: Option<String>,
        #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
        args: Args,
        diagnosis: Option<Diagnosis>,
    },
}

impl Event {
    pub fn finished(message: &Msg) -> Event {
        let (message, message_id, args) = said(message);
        Event::Finished {
            message,
            message_id,
            args,
        }
    }

    pub fn failed(message: &Msg, diagnosis: Option<Diagnosis>) -> Event {
        let (message, message_id, args) = said(message);
        Event::Failed {
            message,
            message_id,
            args,
            diagnosis,
        }
    }

    pub fn is_final(&self) -> bool {
        matches!(self, Event::Finished { .. } | Event::Failed { .. })
    }
}

/// A message as an event carries it: rendered, and its id and arguments.
fn said(message: &Msg) -> (String, Option<String>, Args) {
    (
        message.text(),
        Some(message.id().to_string()),
        message.args().clone(),
    )
}

/// Where events go: the CLI's printer, a Tauri channel, a test's collector.
pub trait EventSink: Send + Sync {
    fn emit(&self, event: Event);
}

/// A cheap, clonable handle on a sink, with helpers for the common events. Its clones share
/// one stream: once the stream's final event is out, nothing more goes to the sink.
#[derive(Clone)]
pub struct Events {
    sink: Arc<dyn EventSink>,
    stream: Arc<Stream>,
    /// Set on events made by [`Events::held`].
    hold: Option<Hold>,
}

/// See [`Events::held`].
#[derive(Clone)]
pub struct Hold(Arc<HoldInner>);

struct HoldInner {
    state: Mutex<HoldState>,
    out: Arc<dyn EventSink>,
    stream: Arc<Stream>,
}

enum HoldState {
    Holding(Vec<Event>),
    Open,
    Dropped,
}

impl Hold {
    /// Sends what was held, then lets everything through.
    pub fn release(&self) {
        let mut state = self.0.state.lock().unwrap_or_else(|e| e.into_inner());
        if let HoldState::Holding(held) = std::mem::replace(&mut *state, HoldState::Open) {
            for event in held {
                self.deliver(event);
            }
        }
    }

    /// Drops what was held and everything after.
    pub fn discard(&self) {
        *self.0.state.lock().unwrap_or_else(|e| e.into_inner()) = HoldState::Dropped;
    }
}

impl Hold {
    fn emit(&self, event: Event) {
        let mut state = self.0.state.lock().unwrap_or_else(|e| e.into_inner());
        match &mut *state {
            HoldState::Holding(held) => held.push(event),
            HoldState::Open => self.deliver(event),
            HoldState::Dropped => {}
        }
    }

    fn deliver(&self, event: Event) {
        if !self.0.stream.ended.load(Ordering::SeqCst) {
            deliver(&self.0.stream, &*self.0.out, event);
        }
    }
}

/// Sends an event out, noting the step of a failure (which the final failure is reported
/// under).
fn deliver(stream: &Stream, sink: &dyn EventSink, event: Event) {
    if let Event::StepFailed { step, .. } = &event {
        *stream.failed_step.lock().unwrap_or_else(|e| e.into_inner()) = Some(*step);
    }
    sink.emit(event)
}

#[derive(Default)]
struct Stream {
    ended: AtomicBool,
    /// The step that failed last, which a failure is reported under.
    failed_step: Mutex<Option<Step>>,
}

impl Events {
    pub fn new(sink: Arc<dyn EventSink>) -> Self {
        Events {
            sink,
            stream: Arc::default(),
            hold: None,
        }
    }

    /// Events that go nowhere (for callers that only want the result).
    pub fn discard() -> Self {
        struct Nothing;
        impl EventSink for Nothing {
            fn emit(&self, _: Event) {}
        }
        Events::new(Arc::new(Nothing))
    }

    /// Sends a progress event. A final event (`Finished`, `Failed`) is ignored here: the
    /// operation runner ends the stream, exactly once.
    pub fn emit(&self, event: Event) {
        if event.is_final() || self.has_ended() {
            return;
        }
        match &self.hold {
            Some(hold) => hold.emit(event),
            None => deliver(&self.stream, &*self.sink, event),
        }
    }

    /// Events that are held back until [`Hold::release`] (then sent in order, and from then on
    /// at once) or dropped by [`Hold::discard`]: work done ahead (a build during the checks)
    /// shows after what it waited for, or not at all when that failed.
    pub fn held(&self) -> (Events, Hold) {
        let hold = Hold(Arc::new(HoldInner {
            state: Mutex::new(HoldState::Holding(Vec::new())),
            out: self.sink.clone(),
            stream: self.stream.clone(),
        }));
        let events = Events {
            sink: self.sink.clone(),
            stream: self.stream.clone(),
            hold: Some(hold.clone()),
        };
        (events, hold)
    }

    /// Ends the stream with `last` (preceded by `before`); `false`, sending nothing, when it
    /// had already ended.
    pub(crate) fn end(&self, before: Option<Event>, last: Event) -> bool {
        if self.stream.ended.swap(true, Ordering::SeqCst) {
            return false;
        }
        if let Some(event) = before {
            self.sink.emit(event);
        }
        self.sink.emit(last);
        true
    }

    /// Whether the stream's final event is out.
    pub fn has_ended(&self) -> bool {
        self.stream.ended.load(Ordering::SeqCst)
    }

    /// The step that failed last, if one did.
    pub(crate) fn failed_step(&self) -> Option<Step> {
        *self
            .stream
            .failed_step
            .lock()
            .unwrap_or_else(|e| e.into_inner())
    }

    /// Starts a step; the returned guard reports `StepFinished` when finished with
    /// [`Events::finished_step`], or `StepFailed` when dropped before that.
    pub fn started(&self, step: Step, message: Msg) -> StepTimer {
        let (text, message_id, args) = said(&message);
        self.emit(Event::StepStarted {
            step,
            message: text,
            message_id,
            args,
        });
        StepTimer {
            events: self.clone(),
            step,
            message,
            start: std::time::Instant::now(),
            finished: false,
        }
    }

    pub fn finished_step(&self, timer: StepTimer, message: Msg) {
        timer.finish(message);
    }

    /// A line of Ferry's own words in the step's log, rendered in the process's language.
    pub fn say(&self, step: Step, message: Msg) {
        self.log(step, message.text())
    }

    pub fn log(&self, step: Step, line: impl Into<String>) {
        self.emit(Event::Log {
            step,
            line: line.into(),
            at: None,
        });
    }

    /// A line of the app's log with the time Docker gave it.
    pub fn log_at(&self, step: Step, line: impl Into<String>, at: Option<String>) {
        self.emit(Event::Log {
            step,
            line: line.into(),
            at,
        });
    }

    pub fn info(&self, step: Step, message: Msg) {
        self.notice(step, Level::Info, message)
    }

    pub fn warn(&self, step: Step, message: Msg) {
        self.notice(step, Level::Warning, message)
    }

    fn notice(&self, step: Step, level: Level, message: Msg) {
        let (message, message_id, args) = said(&message);
        self.emit(Event::Notice {
            step,
            level,
            message,
            message_id,
            args,
        });
    }

    pub fn progress(&self, step: Step, current: u64, total: Option<u64>) {
        self.emit(Event::Progress {
            step,
            current,
            total,
        });
    }

    pub fn data(&self, step: Step, kind: &str, data: &impl Serialize) {
        self.emit(Event::Data {
            step,
            kind: kind.to_string(),
            data: serde_json::to_value(data).unwrap_or(serde_json::Value::Null),
        });
    }
}

/// A step under way: finishing it reports its duration; dropping it unfinished (an early
/// return, a cancel, a panic) reports the step as failed.
#[must_use = "a step dropped unfinished is reported as failed"]
pub struct StepTimer {
    events: Events,
    step: Step,
    message: Msg,
    start: std::time::Instant,
    finished: bool,
}

impl StepTimer {
    pub fn finish(mut self, message: Msg) {
        self.finished = true;
        let (message, message_id, args) = said(&message);
        self.events.emit(Event::StepFinished {
            step: self.step,
            message,
            message_id,
            args,
            elapsed_ms: self.elapsed_ms(),
        });
    }

    fn elapsed_ms(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }
}

impl Drop for StepTimer {
    fn drop(&mut self) {
        if !self.finished {
            let message = std::mem::take(&mut self.message);
            let (message, message_id, args) = said(&message);
            self.events.emit(Event::StepFailed {
                step: self.step,
                message,
                message_id,
                args,
                elapsed_ms: self.elapsed_ms(),
            });
        }
    }
}

/// Keeps every event, for tests and for callers that inspect a run afterwards.
#[derive(Default)]
pub struct Collector {
    events: Mutex<Vec<Event>>,
}

impl Collector {
    pub fn events(&self) -> Vec<Event> {
        self.events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl EventSink for Collector {
    fn emit(&self, event: Event) {
        self.events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_serialize_with_a_tag_and_snake_case_names() {
        let e = Event::Progress {
            step: Step::Push,
            current: 5,
            total: Some(10),
        };
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"event":"progress","step":"push","current":5,"total":10}"#
        );
        let back: Event = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back, e);
    }

    #[test]
    fn only_finished_and_failed_are_final() {
        assert!(Event::finished(&crate::msg!("cancelled")).is_final());
        assert!(!Event::Log {
            step: Step::Build,
            line: "x".into(),
            at: None,
        }
        .is_final());
    }

    fn collected() -> (Arc<Collector>, Events) {
        let collector = Arc::new(Collector::default());
        (collector.clone(), Events::new(collector))
    }

    #[test]
    fn a_step_dropped_unfinished_is_reported_failed() {
        let (collector, events) = collected();
        drop(events.started(Step::Pull, crate::msg!("step-pull", image = "app:1")));
        let timer = events.started(Step::Start, crate::msg!("step-start-done", version = "1"));
        events.finished_step(timer, crate::msg!("step-pull-done"));
        let got: Vec<(&str, Step, Option<String>)> = collector
            .events()
            .into_iter()
            .map(|e| match e {
                Event::StepStarted {
                    step, message_id, ..
                } => ("started", step, message_id),
                Event::StepFailed {
                    step, message_id, ..
                } => ("failed", step, message_id),
                Event::StepFinished {
                    step, message_id, ..
                } => ("finished", step, message_id),
                _ => ("other", Step::Check, None),
            })
            .collect();
        let id = |s: &str| Some(s.to_string());
        assert_eq!(
            got,
            vec![
                ("started", Step::Pull, id("step-pull")),
                ("failed", Step::Pull, id("step-pull")),
                ("started", Step::Start, id("step-start-done")),
                ("finished", Step::Start, id("step-pull-done")),
            ]
        );
        assert_eq!(events.failed_step(), Some(Step::Pull));
    }

    #[test]
    fn held_events_come_out_in_order_after_release_or_never_after_discard() {
        let (collector, events) = collected();
        let (held, hold) = events.held();
        held.log(Step::Build, "early");
        events.log(Step::Check, "checking");
        assert_eq!(collector.events().len(), 1, "the build's line waits");
        hold.release();
        held.log(Step::Build, "late");
        let lines: Vec<String> = collector
            .events()
            .iter()
            .filter_map(|e| match e {
                Event::Log { line, .. } => Some(line.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(lines, ["checking", "early", "late"]);

        let (collector, events) = collected();
        let (held, hold) = events.held();
        let timer = held.started(Step::Build, crate::msg!("step-probe"));
        hold.discard();
        drop(timer);
        assert!(collector.events().is_empty());
        assert_eq!(
            events.failed_step(),
            None,
            "a dropped step is not the failure"
        );
    }

    #[test]
    fn step_failed_is_one_snake_case_json_object() {
        let e = Event::StepFailed {
            step: Step::Pull,
            message: "pulling".into(),
            message_id: Some("step-pull".into()),
            args: Args::new(),
            elapsed_ms: 7,
        };
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"event":"step_failed","step":"pull","message":"pulling","message_id":"step-pull","elapsed_ms":7}"#
        );
    }

    #[test]
    fn only_the_end_of_the_stream_sends_a_final_and_only_once() {
        let (collector, events) = collected();
        events.emit(Event::finished(&crate::msg!("cancelled")));
        assert!(collector.events().is_empty() && !events.has_ended());
        let done = |m: &str| Event::finished(&crate::msg!("as-is", text = m));
        assert!(events.clone().end(None, done("first")));
        assert!(!events.end(None, done("second")));
        events.log(Step::Logs, "late");
        assert_eq!(collector.events(), vec![done("first")]);
    }
}
