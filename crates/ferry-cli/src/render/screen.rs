//! What the text output shows for each event, decided without a terminal so it can be tested
//! by value: the lines that stay, and on a terminal the live part (a bar or spinner per
//! running step, with the step's output condensed under it). `live` draws the live part.

use ferry_core::doctor::Finding;
use ferry_core::events::{Event, Level, Step};
use ferry_core::msg;
use std::collections::{HashMap, VecDeque};

/// How many of a step's last output lines stay under its bar on a terminal.
pub const TAIL_LINES: usize = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Not a terminal: lines only, progress as a percentage now and then.
    Plain,
    /// A terminal: bars; `verbose` prints every output line instead of condensing them.
    Live { verbose: bool },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Draw {
    /// A line on stderr that stays (printed above the bars).
    Line(String),
    /// A line on stdout (the app's own log).
    Stdout(String),
    /// A step began: a spinner for it, until it reports progress.
    Begin(Step),
    /// A running step's numbers: bytes (push, transfer) or build steps. Without a total,
    /// a spinner with the count.
    Progress {
        step: Step,
        current: u64,
        total: Option<u64>,
        bytes: bool,
    },
    /// The last lines of a running step's output, shown under its bar.
    Tail { step: Step, lines: Vec<String> },
    /// The step is over: its bar and its lines go.
    End(Step),
}

pub struct Screen {
    mode: Mode,
    /// Plain mode: the last percentage printed per step.
    shown: HashMap<Step, u64>,
    /// Live mode: the running steps, in order, with their last output lines.
    running: Vec<(Step, VecDeque<String>)>,
}

impl Screen {
    pub fn new(mode: Mode) -> Self {
        Screen {
            mode,
            shown: HashMap::new(),
            running: Vec::new(),
        }
    }

    pub fn apply(&mut self, event: Event) -> Vec<Draw> {
        match event {
            Event::StepStarted { step, message, .. } => {
                let mut out = vec![Draw::Line(format!("==> {}: {message}", step.label()))];
                out.extend(self.begin(step));
                out
            }
            Event::StepFinished {
                step,
                message,
                elapsed_ms,
                ..
            } => {
                self.shown.remove(&step);
                let mut out = self.end(step);
                let seconds = elapsed_ms as f64 / 1000.0;
                out.push(Draw::Line(format!("    {message} ({seconds:.1} s)")));
                out
            }
            Event::StepFailed {
                step, elapsed_ms, ..
            } => {
                self.shown.remove(&step);
                let mut out = self.end(step);
                let seconds = format!("{:.1}", elapsed_ms as f64 / 1000.0);
                let said = msg!("cli-step-failed", step = step.label(), secs = seconds);
                out.push(Draw::Line(format!("    {said}")));
                out
            }
            Event::Progress {
                step,
                current,
                total,
                ..
            } => self.progress(step, current, total),
            Event::Log {
                step: Step::Logs,
                line,
                at,
            } => match at.as_deref().and_then(ferry_core::flows::ops::local_time) {
                Some(t) => vec![Draw::Stdout(format!("{t}  {line}"))],
                None => vec![Draw::Stdout(line)],
            },
            Event::Log { step, line, .. } => self.log(step, line),
            Event::Notice { level, message, .. } => {
                let tag = match level {
                    Level::Info => "note",
                    Level::Warning => "warning",
                };
                vec![Draw::Line(format!("{tag}: {message}"))]
            }
            Event::Data { kind, data, .. } if kind == "finding" => {
                match serde_json::from_value::<Finding>(data) {
                    Ok(finding) => super::finding_lines(&finding)
                        .into_iter()
                        .map(Draw::Line)
                        .collect(),
                    Err(_) => vec![],
                }
            }
            Event::Data { .. } => vec![],
            Event::Finished { message, .. } => {
                let mut out = self.end_all();
                if !message.is_empty() {
                    out.push(Draw::Line(message));
                }
                out
            }
            Event::Failed {
                diagnosis, message, ..
            } => {
                let mut out = self.end_all();
                // The one-line reason is printed by main as `error: ...`; here, the evidence.
                if let Some(d) = diagnosis {
                    let hint = d.hint.as_ref().map(|h| h.text());
                    if let Some(h) = hint.filter(|h| !message.contains(h.as_str())) {
                        out.push(Draw::Line(msg!("cli-hint", hint = h).to_string()));
                    }
                    if !d.log_tail.is_empty() {
                        out.push(Draw::Line(msg!("cli-last-log-lines").to_string()));
                        out.extend(d.log_tail.iter().map(|l| Draw::Line(format!("  | {l}"))));
                    }
                }
                out
            }
        }
    }

    fn begin(&mut self, step: Step) -> Vec<Draw> {
        if self.mode == Mode::Plain || self.is_running(step) {
            return vec![];
        }
        self.running.push((step, VecDeque::new()));
        vec![Draw::Begin(step)]
    }

    fn end(&mut self, step: Step) -> Vec<Draw> {
        if !self.is_running(step) {
            return vec![];
        }
        self.running.retain(|(s, _)| *s != step);
        vec![Draw::End(step)]
    }

    fn end_all(&mut self) -> Vec<Draw> {
        self.shown.clear();
        self.running
            .drain(..)
            .map(|(step, _)| Draw::End(step))
            .collect()
    }

    fn is_running(&self, step: Step) -> bool {
        self.running.iter().any(|(s, _)| *s == step)
    }

    fn progress(&mut self, step: Step, current: u64, total: Option<u64>) -> Vec<Draw> {
        if self.mode == Mode::Plain {
            return self
                .plain_percentage(step, current, total)
                .into_iter()
                .collect();
        }
        let mut out = self.begin(step);
        let total = total.filter(|&t| t > 0);
        out.push(Draw::Progress {
            step,
            current,
            total,
            bytes: counts_bytes(step),
        });
        // A step with progress only (the build context) has no finish of its own.
        if !has_own_finish(step) && total.is_some_and(|t| current >= t) {
            out.extend(self.end(step));
        }
        out
    }

    /// `    push: 25%` at the first number, then every 25 points and at 100.
    fn plain_percentage(&mut self, step: Step, current: u64, total: Option<u64>) -> Option<Draw> {
        let total = total.filter(|&t| t > 0)?;
        let pct = (current.min(total) * 100) / total;
        let due = match self.shown.get(&step) {
            None => true,
            Some(&p) => pct >= p + 25 || (pct == 100 && p < 100),
        };
        if !due {
            return None;
        }
        self.shown.insert(step, pct);
        Some(Draw::Line(format!("    {}: {pct}%", step.label())))
    }

    fn log(&mut self, step: Step, line: String) -> Vec<Draw> {
        let condensed = self.mode == Mode::Live { verbose: false } && condenses(step);
        let tail = self
            .running
            .iter_mut()
            .find(|(s, _)| *s == step)
            .map(|(_, tail)| tail)
            .filter(|_| condensed);
        let Some(tail) = tail else {
            return vec![Draw::Line(format!("    {line}"))];
        };
        if tail.len() == TAIL_LINES {
            tail.pop_front();
        }
        tail.push_back(line);
        vec![Draw::Tail {
            step,
            lines: tail.iter().cloned().collect(),
        }]
    }
}

/// Steps whose progress counts bytes (the build counts its steps).
fn counts_bytes(step: Step) -> bool {
    step != Step::Build
}

/// Steps that report their end (`StepFinished`); the others end when their progress is full.
fn has_own_finish(step: Step) -> bool {
    step != Step::Context
}

/// Steps whose output is noise once they succeed: on a terminal, only their last lines show.
fn condenses(step: Step) -> bool {
    matches!(step, Step::Build | Step::Push)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // Events from their JSON form, so that fields added to them later with a default do not
    // touch these tests.
    fn ev(json: serde_json::Value) -> Event {
        serde_json::from_value(json).expect("an event")
    }

    fn started(step: Step, message: &str) -> Event {
        ev(json!({"event": "step_started", "step": step, "message": message}))
    }

    fn finished(step: Step, message: &str, elapsed_ms: u64) -> Event {
        ev(
            json!({"event": "step_finished", "step": step, "message": message, "elapsed_ms": elapsed_ms}),
        )
    }

    fn log(step: Step, line: &str) -> Event {
        ev(json!({"event": "log", "step": step, "line": line}))
    }

    fn progress(step: Step, current: u64, total: Option<u64>) -> Event {
        ev(json!({"event": "progress", "step": step, "current": current, "total": total}))
    }

    fn run(mode: Mode, events: Vec<Event>) -> Vec<Draw> {
        let mut screen = Screen::new(mode);
        events.into_iter().flat_map(|e| screen.apply(e)).collect()
    }

    fn line(s: &str) -> Draw {
        Draw::Line(s.into())
    }

    #[test]
    fn on_a_terminal_the_build_output_is_condensed_under_the_bar() {
        let mut events = vec![started(Step::Build, "building hello:1")];
        for i in 1..=5 {
            events.push(log(Step::Build, &format!("#{i} step")));
        }
        events.push(progress(Step::Build, 3, Some(7)));
        events.push(finished(Step::Build, "built hello:1", 3200));
        let draws = run(Mode::Live { verbose: false }, events);
        let tail = |from: usize, to: usize| Draw::Tail {
            step: Step::Build,
            lines: (from..=to).map(|i| format!("#{i} step")).collect(),
        };
        assert_eq!(
            draws,
            vec![
                line("==> build: building hello:1"),
                Draw::Begin(Step::Build),
                tail(1, 1),
                tail(1, 2),
                tail(1, 3),
                tail(1, 4),
                tail(2, 5),
                Draw::Progress {
                    step: Step::Build,
                    current: 3,
                    total: Some(7),
                    bytes: false
                },
                Draw::End(Step::Build),
                line("    built hello:1 (3.2 s)"),
            ]
        );
    }

    #[test]
    fn the_context_upload_has_its_own_bar_until_it_is_all_sent() {
        let draws = run(
            Mode::Live { verbose: false },
            vec![
                started(Step::Build, "building"),
                progress(Step::Context, 512, Some(1000)),
                progress(Step::Context, 1000, Some(1000)),
                progress(Step::Build, 1, Some(9)),
            ],
        );
        let context = |current| Draw::Progress {
            step: Step::Context,
            current,
            total: Some(1000),
            bytes: true,
        };
        assert_eq!(
            draws,
            vec![
                line("==> build: building"),
                Draw::Begin(Step::Build),
                Draw::Begin(Step::Context),
                context(512),
                context(1000),
                Draw::End(Step::Context),
                Draw::Progress {
                    step: Step::Build,
                    current: 1,
                    total: Some(9),
                    bytes: false
                },
            ]
        );
    }

    #[test]
    fn verbose_prints_every_build_line_above_the_bar() {
        let draws = run(
            Mode::Live { verbose: true },
            vec![
                started(Step::Build, "building"),
                log(Step::Build, "#1 step"),
                log(Step::Build, "#2 step"),
            ],
        );
        assert_eq!(
            draws,
            vec![
                line("==> build: building"),
                Draw::Begin(Step::Build),
                line("    #1 step"),
                line("    #2 step"),
            ]
        );
    }

    #[test]
    fn warnings_and_other_steps_output_stay_on_a_terminal() {
        let draws = run(
            Mode::Live { verbose: false },
            vec![
                started(Step::Start, "starting"),
                log(Step::Start, "docker run ..."),
                ev(
                    json!({"event": "notice", "step": "start", "level": "warning", "message": "slow"}),
                ),
                log(Step::Logs, "app says hi"),
            ],
        );
        assert_eq!(
            draws,
            vec![
                line("==> start: starting"),
                Draw::Begin(Step::Start),
                line("    docker run ..."),
                line("warning: slow"),
                Draw::Stdout("app says hi".into()),
            ]
        );
    }

    #[test]
    fn push_progress_is_in_bytes_and_a_failure_clears_the_bars() {
        let draws = run(
            Mode::Live { verbose: false },
            vec![
                started(Step::Push, "pushing"),
                progress(Step::Push, 10, None),
                progress(Step::Push, 20, Some(100)),
                ev(json!({"event": "failed", "message": "registry said no", "diagnosis": null})),
            ],
        );
        let bytes = |current, total| Draw::Progress {
            step: Step::Push,
            current,
            total,
            bytes: true,
        };
        assert_eq!(
            draws,
            vec![
                line("==> push: pushing"),
                Draw::Begin(Step::Push),
                bytes(10, None),
                bytes(20, Some(100)),
                Draw::End(Step::Push),
            ]
        );
    }

    #[test]
    fn not_on_a_terminal_lines_are_as_before() {
        let draws = run(
            Mode::Plain,
            vec![
                started(Step::Transfer, "sending hello:1 (9.0 MiB) over SSH"),
                progress(Step::Transfer, 1, Some(100)),
                progress(Step::Transfer, 20, Some(100)),
                progress(Step::Transfer, 26, Some(100)),
                progress(Step::Transfer, 99, Some(100)),
                progress(Step::Transfer, 100, Some(100)),
                log(Step::Transfer, "Loaded image: hello:1"),
                finished(Step::Transfer, "Loaded image: hello:1", 1500),
                started(Step::Build, "building"),
                log(Step::Build, "#1 step"),
                ev(json!({"event": "finished", "message": "deployed"})),
            ],
        );
        assert_eq!(
            draws,
            vec![
                line("==> transfer: sending hello:1 (9.0 MiB) over SSH"),
                line("    transfer: 1%"),
                line("    transfer: 26%"),
                line("    transfer: 99%"),
                line("    transfer: 100%"),
                line("    Loaded image: hello:1"),
                line("    Loaded image: hello:1 (1.5 s)"),
                line("==> build: building"),
                line("    #1 step"),
                line("deployed"),
            ]
        );
    }
}
