//! `status`, `logs`, `rollback` and the container's start/stop/restart.

use crate::adapters::remote::LogRange;
use crate::adapters::secrets::Keyring;
use crate::adapters::server::overview::{usage, usage_limit};
use crate::adapters::server::{image_sizes, inspect, run_ok, ContainerSummary};
use crate::adapters::ssh::OutputStream;
use crate::catalog::Msg;
use crate::events::{Events, Step};
use crate::flows::connect::{self, blocking, until_cancelled, ConnectOptions, Connection};
use crate::flows::release::{self, Incoming};
use crate::formats::config::Project;
use crate::msg;
use crate::plan::health_gate;
use crate::{CancellationToken, Error};
use serde::{Deserialize, Serialize};
use std::ops::ControlFlow;

/// The app's container on the server, as `ferry status` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    pub app: String,
    pub host: String,
    /// `running`, `exited`, `restarting`..., or `missing` when no release runs.
    pub state: String,
    pub health: Option<String>,
    /// The answer to the `[health]` path right now (`HTTP 200`), when one is configured.
    pub http_check: Option<String>,
    pub started_at: Option<String>,
    pub restart_count: i64,
    pub image: Option<String>,
    pub version: Option<String>,
    pub ports: Vec<String>,
    pub cpu: Option<String>,
    pub memory: Option<String>,
    /// The same as numbers: percent of one CPU (over 100 on several), bytes in use.
    pub cpu_percent: Option<f64>,
    pub memory_bytes: Option<u64>,
    /// The container's memory limit, else the host's memory (what Docker reports it may use).
    pub memory_limit_bytes: Option<u64>,
    /// Kept releases that `rollback` can go back to, newest first.
    pub previous: Vec<String>,
}

pub async fn status(
    project: &Project,
    opts: &ConnectOptions,
    keyring: &Keyring,
    events: &Events,
) -> Result<Status, Error> {
    let conn = connect::open_app(project, opts, keyring, events).await?;
    status_on(&conn, project, events).await
}

/// The status over a connection that is already open (the app keeps one per server).
pub async fn status_on(
    conn: &Connection,
    project: &Project,
    events: &Events,
) -> Result<Status, Error> {
    let timer = events.started(Step::Status, msg!("step-status"));
    let app = project.config.app.name.to_string();
    let host = project.config.server.host.clone();
    let docker = conn.server.docker();
    let s = conn.session.clone();
    let gate = health_gate(project);
    let health = gate.path.clone().zip(gate.port);
    let addr = gate.published_addr();
    let status = blocking(move || -> Result<Status, Error> {
        let state = inspect(&*s, docker, &app)?;
        let http_check = match (&state, health) {
            (Some(st), Some((path, port))) if st.running => {
                Some(match release::http_check(&*s, &addr, port, &path) {
                    Ok(code) => format!("HTTP {code}"),
                    Err(e) => format!("no answer: {e}"),
                })
            }
            _ => None,
        };
        let kept: Vec<ContainerSummary> = release::releases(&*s, docker, &app)?;
        let previous = kept
            .into_iter()
            .filter(|c| c.name != app)
            .filter_map(|c| c.version)
            .collect();
        let (cpu, memory) = match &state {
            Some(st) if st.running => stats(&*s, docker, &app),
            _ => (None, None),
        };
        let (cpu_percent, memory_bytes) = usage(
            cpu.as_deref().unwrap_or(""),
            memory.as_deref().unwrap_or(""),
        );
        let memory_limit_bytes = memory.as_deref().and_then(usage_limit);
        Ok(match state {
            Some(st) => Status {
                app,
                host,
                state: st.status,
                health: st.health,
                http_check,
                started_at: Some(st.started_at),
                restart_count: st.restart_count,
                image: Some(st.image),
                version: st.version,
                ports: st.ports,
                cpu,
                memory,
                cpu_percent,
                memory_bytes,
                memory_limit_bytes,
                previous,
            },
            None => Status {
                app,
                host,
                state: "missing".to_string(),
                health: None,
                http_check,
                started_at: None,
                restart_count: 0,
                image: None,
                version: None,
                ports: Vec::new(),
                cpu: None,
                memory: None,
                cpu_percent: None,
                memory_bytes: None,
                memory_limit_bytes: None,
                previous,
            },
        })
    })
    .await?;
    events.data(Step::Status, "status", &status);
    events.finished_step(
        timer,
        msg!("step-status-done", app = &status.app, state = &status.state),
    );
    Ok(status)
}

fn stats(
    remote: &dyn crate::adapters::server::Remote,
    docker: crate::adapters::remote::DockerCli,
    app: &str,
) -> (Option<String>, Option<String>) {
    let Ok(out) = remote.run(&docker.stats(app)) else {
        return (None, None);
    };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(out.stdout.trim()) else {
        return (None, None);
    };
    let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    (field("CPUPerc"), field("MemUsage"))
}

/// Which part of the app's log to show (`ferry logs`, the app's log viewer).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogQuery {
    /// The last this many lines; `None`: every line (within `since`).
    pub lines: Option<usize>,
    /// What the user typed: `15m`, `1h`, `2d`, an RFC 3339 time, or `2026-12-02 09:30` (this
    /// computer's time zone).
    pub since: Option<String>,
    pub follow: bool,
    /// Each `Log` event carries the line's time (`at`).
    pub timestamps: bool,
}

/// Streams the app's log as `Log` events; with `follow`, keeps streaming until `cancel` fires
/// (which ends the stream normally, at once) or the container ends.
pub async fn logs(
    project: &Project,
    opts: &ConnectOptions,
    keyring: &Keyring,
    query: &LogQuery,
    cancel: &CancellationToken,
    events: &Events,
) -> Result<(), Error> {
    let range = LogRange {
        tail: query.lines,
        since: query.since.as_deref().map(docker_since).transpose()?,
        follow: query.follow,
        timestamps: query.timestamps,
    };
    let conn = until_cancelled(cancel, connect::open_app(project, opts, keyring, events)).await?;
    let app = project.config.app.name.to_string();
    let docker = conn.server.docker();
    let s = conn.session.clone();
    let ev = events.clone();
    let stop = cancel.clone();
    let follow = range.follow;
    let status = blocking(move || -> Result<i32, Error> {
        if inspect(&*s, docker, &app)?.is_none() {
            return Err(no_container(&app));
        }
        let cmd = docker.log_lines(&app, &range);
        Ok(s.run_streaming_until(
            &cmd,
            &|| stop.is_cancelled(),
            &mut |_stream: OutputStream, line: &str| {
                if range.timestamps {
                    let (at, text) = split_timestamp(line);
                    ev.log_at(Step::Logs, text, at);
                } else {
                    ev.log(Step::Logs, line.to_string());
                }
                ControlFlow::Continue(())
            },
        )?)
    })
    .await?;
    if status != 0 && !follow && !cancel.is_cancelled() {
        return Err(Error::LogsEnded { status });
    }
    Ok(())
}

/// `since` as Docker's `--since` takes it: a Go duration (`90s`, `15m`, `1h30m`; days become
/// hours) or an RFC 3339 time (a local `2026-12-02 09:30` is converted).
pub fn docker_since(text: &str) -> Result<String, Error> {
    let t = text.trim();
    let bad = || Error::Said(msg!("since-bad", value = text));
    if let Ok(at) = chrono::DateTime::parse_from_rfc3339(t) {
        return Ok(at
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(local) = chrono::NaiveDateTime::parse_from_str(t, format) {
            use chrono::TimeZone;
            let at = chrono::Local
                .from_local_datetime(&local)
                .earliest()
                .ok_or_else(bad)?;
            return Ok(at
                .with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
        }
    }
    // A duration: numbers each followed by a unit, e.g. `1h30m`, `2d`.
    let mut seconds: u64 = 0;
    let mut rest = t;
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        let n: u64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let factor = match rest[..unit].trim() {
            "s" => 1,
            "m" | "min" => 60,
            "h" => 3600,
            "d" => 86400,
            _ => return Err(bad()),
        };
        seconds = n
            .checked_mul(factor)
            .and_then(|v| v.checked_add(seconds))
            .ok_or_else(bad)?;
        rest = &rest[unit..];
    }
    Ok(format!("{seconds}s"))
}

/// `2026-12-02T14:00:00.123456789Z hello` → the time and the line (Docker's `--timestamps`).
fn split_timestamp(line: &str) -> (Option<String>, String) {
    match line.split_once(' ') {
        Some((at, text)) if chrono::DateTime::parse_from_rfc3339(at).is_ok() => {
            (Some(at.to_string()), text.to_string())
        }
        _ => (None, line.to_string()),
    }
}

/// An RFC 3339 time in this computer's time zone, as `2026-12-02 22:01:03`.
pub fn local_time(rfc3339: &str) -> Option<String> {
    local_time_as(rfc3339, "%Y-%m-%d %H:%M:%S")
}

/// The same with the zone's offset, `2026-12-02 22:01:03 +08:00`: unambiguous in a saved file
/// (also in the hour a clock goes back).
pub fn local_time_with_offset(rfc3339: &str) -> Option<String> {
    local_time_as(rfc3339, "%Y-%m-%d %H:%M:%S %:z")
}

fn local_time_as(rfc3339: &str, format: &str) -> Option<String> {
    let at = chrono::DateTime::parse_from_rfc3339(rfc3339).ok()?;
    Some(at.with_timezone(&chrono::Local).format(format).to_string())
}

fn no_container(app: &str) -> Error {
    Error::NoContainer {
        app: app.to_string(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RolledBack {
    pub from: Option<String>,
    pub to: String,
}

impl RolledBack {
    /// One line for the end of a rollback.
    pub fn summary(&self) -> Msg {
        msg!("rollback-done", version = &self.to)
    }
}

/// Goes back to the newest kept release, or to exactly the kept release `to`, behind the same
/// health gate as a deploy. A plain rollback removes the release it went back from (it was
/// bad); a switch `to` a version keeps it, so that one can switch back. If the kept one
/// fails, the current one is started again. `cancel` stops it at once while it connects;
/// during the switch, it puts the current release back.
pub async fn rollback(
    project: &Project,
    opts: &ConnectOptions,
    keyring: &Keyring,
    to: Option<&str>,
    cancel: &CancellationToken,
    events: &Events,
) -> Result<RolledBack, Error> {
    let conn = until_cancelled(cancel, connect::open_app(project, opts, keyring, events)).await?;
    if cancel.is_cancelled() {
        return Err(Error::Cancelled);
    }
    // A deploy that was interrupted midway was just undone: the release that served before it
    // is back, which is what this rollback is for.
    if let (
        None,
        Some(release::Recovered {
            record,
            outcome: release::Outcome::Restored(Some(to)),
        }),
    ) = (to, &conn.recovered)
    {
        events.info(
            Step::Rollback,
            msg!(
                "rollback-already-undone",
                version = &record.incoming,
                to = to
            ),
        );
        return Ok(RolledBack {
            from: Some(record.incoming.clone()),
            to: to.clone(),
        });
    }
    let app = project.config.app.name.to_string();
    let docker = conn.server.docker();
    let gate = health_gate(project);
    let restart = project.config.container.restart.as_str().to_string();
    let keep = project.config.container.keep_releases;
    let link = conn.link.clone();
    let ev = events.clone();
    let cancel = cancel.clone();
    let wanted = to.map(str::to_string);
    blocking(move || -> Result<RolledBack, Error> {
        let lock = crate::flows::lock::acquire(&*link, &app, "rollback", &ev)?;
        let (kept, to) = release::rollback_target(&*link, docker, &app, wanted.as_deref())?;
        let timer = ev.started(Step::Rollback, msg!("step-rollback", version = &to));
        let switcher = release::Switcher::new(&*link, docker, &app, &ev, &cancel, &lock);
        let incoming = Incoming::Kept {
            name: kept,
            version: to.clone(),
            restart: Some(restart),
        };
        let from = switcher.switch(incoming, release::Strategy::StopFirst, &gate)?;
        let from_name = from.as_ref().map(|v| release::kept_name(&app, v));
        // A plain rollback away from a newer release discards it (it was bad); one that goes
        // forward again (after a switch --to an older one) keeps the release it leaves, as a
        // switch --to does.
        let backwards = from.as_deref().is_some_and(|f| f > to.as_str());
        let (discard, spare) = match wanted {
            None if backwards => (from_name.as_deref(), None),
            _ => (None, from_name.as_deref()),
        };
        switcher.prune(&release::Retain {
            keep,
            discard,
            spare,
        });
        ev.finished_step(timer, msg!("step-start-done", version = &to));
        Ok(RolledBack { from, to })
    })
    .await
}

/// The app's kept releases (`ferry releases`), newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Releases {
    pub app: String,
    /// `[container] keep_releases`.
    pub keep: usize,
    pub releases: Vec<ReleaseRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleaseRow {
    pub version: String,
    /// Its container: the app's name for the running release, `<app>-<version>` for a kept one.
    pub container: String,
    pub image: String,
    pub size_bytes: Option<u64>,
    /// When its container was created (RFC 3339).
    pub deployed_at: Option<String>,
    /// The machine that deployed it (`ferry.deployed-by`), when the release says.
    pub deployed_by: Option<String>,
    /// The release in the app's place (named after the app), whatever its state.
    pub running: bool,
    pub state: String,
}

impl Releases {
    /// One line for the end of `ferry releases`.
    pub fn summary(&self) -> Msg {
        msg!(
            "kept-done",
            app = &self.app,
            count = self.releases.len(),
            keep = self.keep
        )
    }
}

pub async fn releases(
    project: &Project,
    opts: &ConnectOptions,
    keyring: &Keyring,
    events: &Events,
) -> Result<Releases, Error> {
    let conn = connect::open_app(project, opts, keyring, events).await?;
    releases_on(&conn, project, events).await
}

/// The releases over a connection that is already open.
pub async fn releases_on(
    conn: &Connection,
    project: &Project,
    events: &Events,
) -> Result<Releases, Error> {
    let timer = events.started(Step::Status, msg!("step-kept-releases"));
    let app = project.config.app.name.to_string();
    let keep = project.config.container.keep_releases;
    let docker = conn.server.docker();
    let s = conn.session.clone();
    let list = blocking(move || -> Result<Releases, Error> {
        let kept = release::releases(&*s, docker, &app)?;
        let images: Vec<String> = kept.iter().map(|c| c.image.clone()).collect();
        let sizes = image_sizes(&*s, docker, &images)?;
        let size_of = |image: &str| {
            sizes
                .iter()
                .find(|(_, tags)| tags.iter().any(|t| t == image))
                .map(|(size, _)| *size)
        };
        let releases = kept
            .iter()
            .map(|c| ReleaseRow {
                version: c.version.clone().unwrap_or_default(),
                container: c.name.clone(),
                image: c.image.clone(),
                size_bytes: size_of(&c.image),
                deployed_at: c.created_rfc3339(),
                deployed_by: c.deployed_by.clone(),
                running: c.name == app,
                state: c.state.clone(),
            })
            .collect();
        Ok(Releases {
            app,
            keep,
            releases,
        })
    })
    .await?;
    events.data(Step::Status, "releases", &list);
    events.finished_step(timer, list.summary());
    Ok(list)
}

/// What the app's container buttons do to the running release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContainerAction {
    Restart,
    Stop,
    Start,
}

/// Restarts, stops or starts the app's container (the running release, not a kept one).
pub async fn container_action(
    project: &Project,
    opts: &ConnectOptions,
    keyring: &Keyring,
    action: ContainerAction,
) -> Result<(), Error> {
    let conn = connect::open_app(project, opts, keyring, &Events::discard()).await?;
    let app = project.config.app.name.to_string();
    let docker = conn.server.docker();
    let s = conn.session.clone();
    blocking(move || -> Result<(), Error> {
        if inspect(&*s, docker, &app)?.is_none() {
            return Err(no_container(&app));
        }
        let cmd = match action {
            ContainerAction::Restart => docker.restart(&app),
            ContainerAction::Stop => docker.stop(&app),
            ContainerAction::Start => docker.start(&app),
        };
        run_ok(&*s, &cmd)?;
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_takes_durations_days_and_times() {
        assert_eq!(docker_since("1h").unwrap(), "3600s");
        assert_eq!(docker_since("1h30m").unwrap(), "5400s");
        assert_eq!(docker_since(" 15m ").unwrap(), "900s");
        assert_eq!(docker_since("2d").unwrap(), "172800s");
        assert_eq!(
            docker_since("2026-12-02T10:00:00+08:00").unwrap(),
            "2026-12-02T02:00:00Z"
        );
        assert!(docker_since("2026-12-02 10:00").unwrap().ends_with('Z'));
        assert!(docker_since("2026-12-02T10:00:30")
            .unwrap()
            .ends_with(":30Z"));
        for bad in ["", "h", "1w", "yesterday", "-1h", "1h 30"] {
            let err = docker_since(bad).unwrap_err();
            assert!(err.to_string().contains("1h"), "{bad}: {err}");
        }
    }

    #[test]
    fn a_timestamped_line_is_split_into_its_time_and_text() {
        assert_eq!(
            split_timestamp("2026-12-02T14:00:00.123456789Z listening on :8080"),
            (
                Some("2026-12-02T14:00:00.123456789Z".into()),
                "listening on :8080".into()
            )
        );
        assert_eq!(
            split_timestamp("no time here"),
            (None, "no time here".into())
        );
    }
}
