//! How events look in a terminal, or as JSON lines.

use ferry_core::doctor::Finding;
use ferry_core::events::{Event, EventSink, Level, Step};
use ferry_core::msg;
use ferry_core::ops::Status;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Whether a final event (`finished`/`failed`) has been printed.
static FINAL_SEEN: AtomicBool = AtomicBool::new(false);

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

pub fn print_event(event: &Event) {
    if event.is_final() {
        FINAL_SEEN.store(true, Ordering::SeqCst);
    }
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
            Event::Progress {
                step,
                current,
                total: Some(total),
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
                FINAL_SEEN.store(true, Ordering::SeqCst);
                if !message.is_empty() {
                    let _ = writeln!(err, "{message}");
                }
            }
            Event::Failed {
                diagnosis, message, ..
            } => {
                FINAL_SEEN.store(true, Ordering::SeqCst);
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

/// The last word of a failed command: `error: <reason>` on stderr; in JSON mode also a
/// `failed` event when the operation did not already end its stream.
pub fn print_error(e: &anyhow::Error, json: bool) {
    let said = match e.downcast_ref::<ferry_core::Error>() {
        Some(core) => core.message(),
        None => msg!("as-is", text = format!("{e:#}")),
    };
    if json && !FINAL_SEEN.load(Ordering::SeqCst) {
        print_event(&Event::failed(&said, None));
    }
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

fn write_finding(err: &mut impl Write, f: &Finding) {
    let severity = serde_json::to_value(f.severity).unwrap_or_default();
    let severity = severity.as_str().unwrap_or("info");
    let _ = writeln!(err, "[{severity}] {}: {}", f.id, f.message);
    if let Some(evidence) = &f.evidence {
        for line in evidence.lines() {
            let _ = writeln!(err, "        seen: {line}");
        }
    }
    if let Some(fix) = &f.fix {
        let _ = writeln!(err, "        fix: {}", fix);
    }
    if let Some(auto) = &f.auto_fix {
        let _ = writeln!(
            err,
            "        auto-fix: {} (ferry doctor --fix {})",
            auto.label, f.id
        );
    }
}
