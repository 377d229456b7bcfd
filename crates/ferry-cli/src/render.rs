//! How events look in a terminal, or as JSON lines.

mod live;
mod screen;
mod tables;

pub use tables::{log_file, print_overview, print_releases};

use ferry_core::catalog::{lang, Lang};
use ferry_core::doctor::Finding;
use ferry_core::events::{Event, EventSink};
use ferry_core::flows::ops::Status;
use ferry_core::msg;
use screen::{Draw, Mode, Screen};
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};

/// The event printer: JSON lines, bars on a terminal (`verbose`: with every output line), or
/// plain lines when stderr is not a terminal.
pub fn sink(json: bool, verbose: bool) -> Arc<dyn EventSink> {
    if json {
        return Arc::new(JsonLines);
    }
    let (mode, live) = if std::io::stderr().is_terminal() {
        (Mode::Live { verbose }, Some(live::Live::new()))
    } else {
        (Mode::Plain, None)
    };
    Arc::new(Text {
        state: Mutex::new((Screen::new(mode), live)),
    })
}

pub fn print_event(event: &Event) {
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
    /// What to show, and on a terminal where it is drawn.
    state: Mutex<(Screen, Option<live::Live>)>,
}

impl EventSink for Text {
    fn emit(&self, event: Event) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (screen, live) = &mut *state;
        for draw in screen.apply(event) {
            match (live.as_mut(), draw) {
                (Some(live), draw) => live.draw(draw),
                (None, Draw::Line(line)) => eprintln!("{line}"),
                (None, Draw::Stdout(line)) => println!("{line}"),
                (None, _) => {}
            }
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
    let list = |v: &[String]| {
        if v.is_empty() {
            "-".to_string()
        } else {
            v.join(", ")
        }
    };
    let rows = [
        (
            "status-app",
            msg!("status-app-on", app = &s.app, host = &s.host).text(),
        ),
        ("status-state", s.state.clone()),
        ("status-health", dash(&s.health)),
        ("status-http-check", dash(&s.http_check)),
        ("status-version", dash(&s.version)),
        ("status-image", dash(&s.image)),
        ("status-started", dash(&s.started_at)),
        ("status-restarts", s.restart_count.to_string()),
        ("status-ports", list(&s.ports)),
        ("status-cpu", dash(&s.cpu)),
        ("status-memory", dash(&s.memory)),
        ("status-previous", list(&s.previous)),
    ];
    let labels: Vec<String> = rows
        .iter()
        .map(|(id, _)| format!("{}:", ferry_core::catalog::Msg::new(id)))
        .collect();
    let width = labels
        .iter()
        .map(|l| crate::plan_text::display_width(l))
        .max()
        .unwrap_or(0);
    for (label, (_, value)) in labels.iter().zip(rows) {
        let pad = " ".repeat(width + 1 - crate::plan_text::display_width(label));
        println!("{label}{pad}{value}");
    }
}

/// Whether the user reads Chinese (`--lang zh`, or the OS locale).
fn chinese() -> bool {
    lang() == Lang::Zh
}

/// A doctor finding, as the lines that show it.
fn finding_lines(f: &Finding) -> Vec<String> {
    let severity = serde_json::to_value(f.severity).unwrap_or_default();
    let severity = severity.as_str().unwrap_or("info");
    let mut lines = vec![format!("[{severity}] {}: {}", f.id, f.message)];
    if let Some(evidence) = &f.evidence {
        lines.extend(evidence.lines().map(|line| format!("        seen: {line}")));
    }
    if let Some(fix) = &f.fix {
        lines.push(format!("        fix: {fix}"));
    }
    if let Some(auto) = &f.auto_fix {
        lines.push(format!(
            "        auto-fix: {} (ferry doctor --fix {})",
            auto.label, f.id
        ));
    }
    lines
}
