//! How events look in a terminal, or as JSON lines.

use ferry_core::catalog::{lang, Lang};
use ferry_core::doctor::{Finding, Text as Localized};
use ferry_core::events::{Event, EventSink, Level, Step};
use ferry_core::msg;
use ferry_core::ops::Status;
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};

pub fn sink(json: bool) -> Arc<dyn EventSink> {
    if json {
        Arc::new(JsonLines)
    } else {
        Arc::new(Text {
            progress: Mutex::new(None),
            tty: std::io::stderr().is_terminal(),
        })
    }
}

fn print_event(event: &Event) {
    let line = serde_json::to_string(event).expect("events serialize");
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

struct JsonLines;

impl EventSink for JsonLines {
    fn emit(&self, event: Event) {
        print_event(&event);
    }
}

struct Text {
    /// The step and the last percentage shown, to print progress sparingly.
    progress: Mutex<Option<(Step, u64)>>,
    tty: bool,
}

impl EventSink for Text {
    fn emit(&self, event: Event) {
        let mut err = std::io::stderr().lock();
        match event {
            Event::StepStarted { step, message, .. } => {
                let _ = writeln!(err, "==> {}: {message}", step.label());
            }
            Event::StepFinished {
                message,
                elapsed_ms,
                ..
            } => {
                self.end_progress(&mut err);
                let _ = writeln!(err, "    {message} ({:.1} s)", elapsed_ms as f64 / 1000.0);
            }
            Event::StepFailed {
                step, elapsed_ms, ..
            } => {
                self.end_progress(&mut err);
                let secs = elapsed_ms as f64 / 1000.0;
                let _ = if chinese() {
                    writeln!(err, "    {} 失败（{secs:.1} 秒）", step.label())
                } else {
                    writeln!(err, "    {} failed ({secs:.1} s)", step.label())
                };
            }
            Event::Progress {
                step,
                current,
                total: Some(total),
                ..
            } if total > 0 => {
                let pct = (current.min(total) * 100) / total;
                let mut last = self.progress.lock().unwrap();
                let shown = last.filter(|(s, _)| *s == step).map(|(_, p)| p);
                if self.tty {
                    let _ = write!(err, "\r    {}: {pct:3}%", step.label());
                    *last = Some((step, pct));
                } else if shown.is_none_or(|p| pct >= p + 25 || (pct == 100 && p < 100)) {
                    let _ = writeln!(err, "    {}: {pct}%", step.label());
                    *last = Some((step, pct));
                }
            }
            Event::Progress { .. } => {}
            Event::Log {
                step: Step::Logs,
                line,
                ..
            } => {
                println!("{line}");
            }
            Event::Log { line, .. } => {
                self.end_progress(&mut err);
                let _ = writeln!(err, "    {line}");
            }
            Event::Notice { level, message, .. } => {
                self.end_progress(&mut err);
                let tag = match level {
                    Level::Info => "note",
                    Level::Warning => "warning",
                };
                let _ = writeln!(err, "{tag}: {message}");
            }
            Event::Data { kind, data, .. } if kind == "finding" => {
                self.end_progress(&mut err);
                if let Ok(finding) = serde_json::from_value::<Finding>(data) {
                    write_finding(&mut err, &finding);
                }
            }
            Event::Data { .. } => {}
            Event::Finished { message, .. } => {
                if !message.is_empty() {
                    let _ = writeln!(err, "{message}");
                }
            }
            Event::Failed {
                diagnosis, message, ..
            } => {
                // The one-line reason is printed by main as `error: ...`; here, the evidence.
                if let Some(d) = diagnosis {
                    let hint = d.hint.as_ref().map(|h| h.text());
                    if let Some(h) = hint.filter(|h| !message.contains(h.as_str())) {
                        let _ = writeln!(err, "{}", msg!("cli-hint", hint = h));
                    }
                    if !d.log_tail.is_empty() {
                        let _ = writeln!(err, "{}", msg!("cli-last-log-lines"));
                        for l in &d.log_tail {
                            let _ = writeln!(err, "  | {l}");
                        }
                    }
                }
            }
        }
    }
}

impl Text {
    fn end_progress(&self, err: &mut impl Write) {
        if self.tty && self.progress.lock().unwrap().take().is_some() {
            let _ = writeln!(err);
        }
    }
}

/// The last word of a failed command: `error: <reason>` on stderr, in the user's language
/// (the operation runner has already ended the event stream).
pub fn print_error(e: &anyhow::Error) {
    let said = match e.downcast_ref::<ferry_core::Error>() {
        Some(core) => core.message(),
        None => msg!("as-is", text = format!("{e:#}")),
    };
    eprintln!("{}", msg!("cli-error", message = said));
}

pub fn print_status(s: &Status) {
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_string());
    println!("app:        {} on {}", s.app, s.host);
    println!("state:      {}", s.state);
    println!("health:     {}", dash(&s.health));
    println!("http check: {}", dash(&s.http_check));
    println!("version:    {}", dash(&s.version));
    println!("image:      {}", dash(&s.image));
    println!("started:    {}", dash(&s.started_at));
    println!("restarts:   {}", s.restart_count);
    println!(
        "ports:      {}",
        if s.ports.is_empty() {
            "-".to_string()
        } else {
            s.ports.join(", ")
        }
    );
    println!("cpu:        {}", dash(&s.cpu));
    println!("memory:     {}", dash(&s.memory));
    println!(
        "previous:   {}",
        if s.previous.is_empty() {
            "-".to_string()
        } else {
            s.previous.join(", ")
        }
    );
}

/// Whether the user reads Chinese (`--lang zh`, or the OS locale).
fn chinese() -> bool {
    lang() == Lang::Zh
}

fn localized(text: &Localized) -> &str {
    if chinese() {
        &text.zh
    } else {
        &text.en
    }
}

fn write_finding(err: &mut impl Write, f: &Finding) {
    let severity = serde_json::to_value(f.severity).unwrap_or_default();
    let severity = severity.as_str().unwrap_or("info");
    let _ = writeln!(err, "[{severity}] {}: {}", f.id, localized(&f.message));
    if let Some(evidence) = &f.evidence {
        for line in evidence.lines() {
            let _ = writeln!(err, "        seen: {line}");
        }
    }
    if let Some(fix) = &f.fix {
        let _ = writeln!(err, "        fix: {}", localized(fix));
    }
    if let Some(auto) = &f.auto_fix {
        let _ = writeln!(
            err,
            "        auto-fix: {} (ferry doctor --fix {})",
            localized(&auto.label),
            f.id
        );
    }
}
