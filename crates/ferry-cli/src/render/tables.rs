//! `ferry server` and `ferry releases` as text, and `ferry logs --output`.

use crate::plan_text::display_width;
use ferry_core::catalog::{human_bytes, Msg};
use ferry_core::events::Step;
use ferry_core::events::{Event, EventSink};
use ferry_core::flows::ops::{local_time, local_time_with_offset, Releases};
use ferry_core::flows::overview::ServerOverview;
use ferry_core::msg;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

pub fn print_overview(o: &ServerOverview) {
    let s = &o.system;
    let used = |used: u64, total: u64| {
        let percent = (used * 100).checked_div(total).unwrap_or(0);
        msg!(
            "overview-used-of",
            used = human_bytes(used),
            total = human_bytes(total),
            percent = percent
        )
        .text()
    };
    let none = || Msg::new("overview-none").text();
    let mut system = vec![s.os_name.clone(), s.kernel.clone(), s.arch.clone()];
    if let Some(n) = s.cpus {
        system.push(msg!("overview-cpus-n", n = n).text());
    }
    let mut up = s.uptime_secs.map(duration).unwrap_or_else(|| "-".into());
    if let Some([a, b, c]) = s.load {
        up.push_str(&format!(
            " · {} {a:.2} {b:.2} {c:.2}",
            Msg::new("overview-load")
        ));
    }
    let mut rows = vec![
        (
            Msg::new("overview-host").text(),
            format!("{}@{}:{}", o.user, o.host, o.port),
        ),
        (Msg::new("overview-os").text(), system.join(" · ")),
        (Msg::new("overview-uptime").text(), up),
        (
            Msg::new("overview-memory").text(),
            s.memory.map(|m| used(m.used, m.total)).unwrap_or_else(none),
        ),
        (
            Msg::new("overview-swap").text(),
            s.swap
                .filter(|w| w.total > 0)
                .map(|w| used(w.used, w.total))
                .unwrap_or_else(none),
        ),
    ];
    for d in &s.disks {
        let label = match d.label {
            ferry_core::adapters::server::overview::DiskLabel::Root => {
                Msg::new("overview-disk-root").text()
            }
            ferry_core::adapters::server::overview::DiskLabel::Docker => {
                msg!("overview-disk-docker", path = &d.path).text()
            }
        };
        rows.push((label, used(d.used, d.total)));
    }
    if let Some(d) = &s.docker {
        rows.push((
            Msg::new("overview-docker").text(),
            format!("{} · {}", d.version, d.storage_driver),
        ));
    }
    let width = rows
        .iter()
        .map(|(l, _)| display_width(l))
        .max()
        .unwrap_or(0);
    for (label, value) in rows {
        let pad = " ".repeat(width + 2 - display_width(&label));
        println!("{label}{pad}{value}");
    }
    println!();
    let now = chrono::Utc::now();
    let header = [
        "overview-col-name",
        "overview-col-image",
        "overview-col-state",
        "overview-col-up",
        "overview-col-restarts",
        "overview-col-cpu",
        "overview-col-memory",
        "overview-col-ports",
        "overview-col-ferry",
    ]
    .map(|id| Msg::new(id).text());
    let body = o
        .containers
        .iter()
        .map(|c| {
            let up = match (&c.started_at, c.state.as_str()) {
                (Some(t), "running") => chrono::DateTime::parse_from_rfc3339(t)
                    .map(|t| duration((now - t.to_utc()).num_seconds().max(0) as u64))
                    .unwrap_or_else(|_| "-".into()),
                _ => "-".into(),
            };
            let state = match &c.health {
                Some(h) => format!("{} ({h})", state_word(&c.state)),
                None => state_word(&c.state),
            };
            let memory = match (c.memory_bytes, c.memory_limit_bytes) {
                (Some(m), Some(l)) => format!("{} / {}", human_bytes(m), human_bytes(l)),
                (Some(m), None) => human_bytes(m),
                _ => "-".into(),
            };
            let ferry = match (&c.app, &c.release) {
                (Some(app), Some(v)) => format!("{app} {v}"),
                (Some(app), None) => app.clone(),
                _ => Msg::new("overview-not-ferry").text(),
            };
            vec![
                c.name.clone(),
                c.image.clone(),
                state,
                up,
                c.restart_count.to_string(),
                c.cpu_percent
                    .map(|p| format!("{p:.1}%"))
                    .unwrap_or_else(|| "-".into()),
                memory,
                if c.ports.is_empty() {
                    "-".into()
                } else {
                    c.ports.join(", ")
                },
                ferry,
            ]
        })
        .collect();
    print_table(&header, body);
    println!();
    println!(
        "{}",
        msg!(
            "overview-refresh-cost",
            ms = o.took_ms,
            bytes = human_bytes(o.bytes)
        )
    );
}

pub fn print_releases(r: &Releases) {
    let header = [
        "kept-col-version",
        "kept-col-deployed",
        "kept-col-by",
        "kept-col-size",
        "kept-col-image",
        "overview-col-state",
    ]
    .map(|id| Msg::new(id).text());
    let body = r
        .releases
        .iter()
        .map(|row| {
            let state = if row.running {
                format!("{} ({})", Msg::new("kept-running"), state_word(&row.state))
            } else {
                state_word(&row.state)
            };
            vec![
                row.version.clone(),
                row.deployed_at
                    .as_deref()
                    .and_then(local_time)
                    .unwrap_or_else(|| "-".into()),
                row.deployed_by.clone().unwrap_or_else(|| "-".into()),
                row.size_bytes
                    .map(human_bytes)
                    .unwrap_or_else(|| "-".into()),
                row.image.clone(),
                state,
            ]
        })
        .collect();
    print_table(&header, body);
    if r.releases.iter().any(|row| !row.running) {
        println!();
        println!("{}", Msg::new("kept-switch-hint"));
    }
}

fn print_table(header: &[String], body: Vec<Vec<String>>) {
    let mut widths: Vec<usize> = header.iter().map(|h| display_width(h)).collect();
    for row in &body {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(display_width(cell));
        }
    }
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            out.push_str(cell);
            if i + 1 < cells.len() {
                out.push_str(&" ".repeat(w + 2 - display_width(cell)));
            }
        }
        out
    };
    println!("{}", line(header));
    for row in &body {
        println!("{}", line(row));
    }
}

/// Docker's word for a container's state, in the user's language.
fn state_word(state: &str) -> String {
    let id = match state {
        "running" => "cstate-running",
        "exited" => "cstate-exited",
        "restarting" => "cstate-restarting",
        "paused" => "cstate-paused",
        "created" => "cstate-created",
        "dead" => "cstate-dead",
        "removing" => "cstate-removing",
        _ => return state.to_string(),
    };
    Msg::new(id).text()
}

/// `3d 4h`, `5h 2m`, `12m`, `40s`, in the user's language.
pub fn duration(secs: u64) -> String {
    let (d, h, m) = (secs / 86400, secs % 86400 / 3600, secs % 3600 / 60);
    if d > 0 {
        msg!("overview-dur-d", d = d, h = h).text()
    } else if h > 0 {
        msg!("overview-dur-h", h = h, m = m).text()
    } else if m > 0 {
        msg!("overview-dur-m", m = m).text()
    } else {
        msg!("overview-dur-s", s = secs).text()
    }
}

/// A sink that writes the app's log lines to `path` (each with its local time and offset when
/// it has one) and hands every other event to `inner`. The file is checked now but emptied
/// only when the first line arrives: a run that fails before (a bad config, no connection)
/// leaves an existing file as it was.
pub fn log_file(path: &Path, inner: Arc<dyn EventSink>) -> anyhow::Result<Arc<dyn EventSink>> {
    let cannot = |e: std::io::Error| {
        anyhow::anyhow!(
            "{}",
            msg!(
                "cli-log-file",
                path = path.display().to_string(),
                detail = e.to_string()
            )
        )
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(cannot)?;
    Ok(Arc::new(LogFile {
        file: Mutex::new((std::io::BufWriter::new(file), false)),
        inner,
    }))
}

struct LogFile {
    /// The file, and whether it was emptied for this run's lines.
    file: Mutex<(std::io::BufWriter<std::fs::File>, bool)>,
    inner: Arc<dyn EventSink>,
}

impl EventSink for LogFile {
    fn emit(&self, event: Event) {
        match &event {
            Event::Log {
                step: Step::Logs,
                line,
                at,
            } => {
                let mut guard = self.file.lock().unwrap();
                let (file, emptied) = &mut *guard;
                if !*emptied {
                    *emptied = true;
                    let _ = file.get_ref().set_len(0);
                }
                let _ = match at.as_deref().and_then(local_time_with_offset) {
                    Some(t) => writeln!(file, "{t}  {line}"),
                    None => writeln!(file, "{line}"),
                };
            }
            _ => {
                if event.is_final() {
                    let mut guard = self.file.lock().unwrap();
                    let (file, emptied) = &mut *guard;
                    // No line at all (nothing logged in the range): the file says so by
                    // being empty, not by holding an earlier run's lines.
                    if !*emptied && matches!(event, Event::Finished { .. }) {
                        let _ = file.get_ref().set_len(0);
                    }
                    let _ = file.flush();
                }
                self.inner.emit(event)
            }
        }
    }
}
