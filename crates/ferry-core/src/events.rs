//! The one event vocabulary: everything a long operation reports, for the CLI (`--json`, one
//! object per line) and the GUI (a Tauri channel) alike. Every stream ends with exactly one
//! `Finished` or `Failed`.

use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

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
    pub summary: String,
    /// What to do about it.
    pub hint: Option<String>,
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
    /// `summary` and `hint` in Chinese.
    #[serde(default)]
    pub summary_zh: String,
    #[serde(default)]
    pub hint_zh: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    StepStarted {
        step: Step,
        message: String,
    },
    StepFinished {
        step: Step,
        message: String,
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
    },
    Notice {
        step: Step,
        level: Level,
        message: String,
    },
    /// A structured result (status report, probe, doctor finding) as JSON.
    Data {
        step: Step,
        kind: String,
        data: serde_json::Value,
    },
    Finished {
        message: String,
    },
    Failed {
        message: String,
        diagnosis: Option<Diagnosis>,
    },
}

impl Event {
    pub fn is_final(&self) -> bool {
        matches!(self, Event::Finished { .. } | Event::Failed { .. })
    }
}

/// Where events go: the CLI's printer, a Tauri channel, a test's collector.
pub trait EventSink: Send + Sync {
    fn emit(&self, event: Event);
}

/// A cheap, clonable handle on a sink, with helpers for the common events.
#[derive(Clone)]
pub struct Events {
    sink: Arc<dyn EventSink>,
}

impl Events {
    pub fn new(sink: Arc<dyn EventSink>) -> Self {
        Events { sink }
    }

    /// Events that go nowhere (for callers that only want the result).
    pub fn discard() -> Self {
        struct Nothing;
        impl EventSink for Nothing {
            fn emit(&self, _: Event) {}
        }
        Events::new(Arc::new(Nothing))
    }

    pub fn emit(&self, event: Event) {
        self.sink.emit(event)
    }

    pub fn started(&self, step: Step, message: impl Into<String>) -> StepTimer {
        self.emit(Event::StepStarted {
            step,
            message: message.into(),
        });
        StepTimer {
            step,
            start: std::time::Instant::now(),
        }
    }

    pub fn finished_step(&self, timer: StepTimer, message: impl Into<String>) {
        self.emit(Event::StepFinished {
            step: timer.step,
            message: message.into(),
            elapsed_ms: timer.start.elapsed().as_millis() as u64,
        });
    }

    pub fn log(&self, step: Step, line: impl Into<String>) {
        self.emit(Event::Log {
            step,
            line: line.into(),
        });
    }

    pub fn info(&self, step: Step, message: impl Into<String>) {
        self.emit(Event::Notice {
            step,
            level: Level::Info,
            message: message.into(),
        });
    }

    pub fn warn(&self, step: Step, message: impl Into<String>) {
        self.emit(Event::Notice {
            step,
            level: Level::Warning,
            message: message.into(),
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

/// Marks when a step started, to report its duration.
pub struct StepTimer {
    step: Step,
    start: std::time::Instant,
}

/// Keeps every event, for tests and for callers that inspect a run afterwards.
#[derive(Default)]
pub struct Collector {
    events: Mutex<Vec<Event>>,
}

impl Collector {
    pub fn events(&self) -> Vec<Event> {
        self.events.lock().unwrap().clone()
    }
}

impl EventSink for Collector {
    fn emit(&self, event: Event) {
        self.events.lock().unwrap().push(event);
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
        assert!(Event::Finished {
            message: "ok".into()
        }
        .is_final());
        assert!(!Event::Log {
            step: Step::Build,
            line: "x".into()
        }
        .is_final());
    }
}
