//! `status`, `logs`, `rollback` and the container's start/stop/restart.

use crate::adapters::secrets::Keyring;
use crate::adapters::server::{inspect, run_ok, ContainerSummary};
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

/// Streams the app's last `lines` log lines as `Log` events; with `follow`, keeps streaming
/// until `cancel` fires (which ends the stream normally, at once) or the container ends.
pub async fn logs(
    project: &Project,
    opts: &ConnectOptions,
    keyring: &Keyring,
    lines: usize,
    follow: bool,
    cancel: &CancellationToken,
    events: &Events,
) -> Result<(), Error> {
    let conn = until_cancelled(cancel, connect::open_app(project, opts, keyring, events)).await?;
    let app = project.config.app.name.to_string();
    let docker = conn.server.docker();
    let s = conn.session.clone();
    let ev = events.clone();
    let stop = cancel.clone();
    let status = blocking(move || -> Result<i32, Error> {
        if inspect(&*s, docker, &app)?.is_none() {
            return Err(no_container(&app));
        }
        let cmd = docker.logs(&app, lines, follow);
        Ok(s.run_streaming_until(
            &cmd,
            &|| stop.is_cancelled(),
            &mut |_stream: OutputStream, line: &str| {
                ev.log(Step::Logs, line.to_string());
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

/// Goes back to the newest kept release, behind the same health gate as a deploy. The release
/// rolled back from is removed; if the kept one fails, the current one is started again.
/// `cancel` stops it at once while it connects; during the switch, it puts the current
/// release back.
pub async fn rollback(
    project: &Project,
    opts: &ConnectOptions,
    keyring: &Keyring,
    cancel: &CancellationToken,
    events: &Events,
) -> Result<RolledBack, Error> {
    let conn = until_cancelled(cancel, connect::open_app(project, opts, keyring, events)).await?;
    if cancel.is_cancelled() {
        return Err(Error::Cancelled);
    }
    // A deploy that was interrupted midway was just undone: the release that served before it
    // is back, which is what this rollback is for.
    if let Some(release::Recovered {
        record,
        outcome: release::Outcome::Restored(Some(to)),
    }) = &conn.recovered
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
    let link = conn.link.clone();
    let ev = events.clone();
    let cancel = cancel.clone();
    blocking(move || -> Result<RolledBack, Error> {
        let lock = crate::flows::lock::acquire(&*link, &app, "rollback", &ev)?;
        let (kept, to) = release::rollback_target(&*link, docker, &app)?;
        let timer = ev.started(Step::Rollback, msg!("step-rollback", version = &to));
        let switcher = release::Switcher::new(&*link, docker, &app, &ev, &cancel, &lock);
        let incoming = Incoming::Kept {
            name: kept,
            version: to.clone(),
            restart: Some(restart),
        };
        let from = switcher.switch(incoming, release::Strategy::StopFirst, &gate)?;
        let discarded = from.as_ref().map(|v| release::kept_name(&app, v));
        switcher.prune(discarded.as_deref());
        ev.finished_step(timer, msg!("step-start-done", version = &to));
        Ok(RolledBack { from, to })
    })
    .await
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
