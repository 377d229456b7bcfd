//! `ferry server`: the host and every container on it, from one command over one connection.

use crate::adapters::secrets::Keyring;
use crate::adapters::server::overview::{self, HostSystem, ServerContainer};
use crate::adapters::server::{run_ok, ServerError};
use crate::catalog::Msg;
use crate::events::{Events, Step};
use crate::flows::connect::{self, blocking, ConnectOptions, Connection};
use crate::formats::config::Project;
use crate::msg;
use crate::Error;
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// What one refresh of the server page shows, and what it cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerOverview {
    /// ferry.toml's `[server]`.
    pub host: String,
    pub user: String,
    pub port: u16,
    /// When it was taken (RFC 3339).
    pub seen_at: String,
    /// The refresh's one command: wall time, and bytes it brought back from the server.
    pub took_ms: u64,
    pub bytes: u64,
    pub system: HostSystem,
    pub containers: Vec<ServerContainer>,
}

impl ServerOverview {
    /// One line for the end of `ferry server`.
    pub fn summary(&self) -> Msg {
        let ferry = self.containers.iter().filter(|c| c.app.is_some()).count();
        msg!(
            "overview-done",
            host = &self.host,
            containers = self.containers.len(),
            ferry = ferry,
            ms = self.took_ms,
            bytes = crate::catalog::human_bytes(self.bytes),
        )
    }
}

pub async fn server_overview(
    project: &Project,
    opts: &ConnectOptions,
    keyring: &Keyring,
    events: &Events,
) -> Result<ServerOverview, Error> {
    let conn = connect::open(project, opts, keyring, events).await?;
    overview_on(&conn, project, events).await
}

/// The overview over a connection that is already open (the app keeps one per server).
pub async fn overview_on(
    conn: &Connection,
    project: &Project,
    events: &Events,
) -> Result<ServerOverview, Error> {
    let server = &project.config.server;
    let timer = events.started(Step::Status, msg!("step-overview", host = &server.host));
    let cmd = conn.server.docker().overview();
    let s = conn.session.clone();
    let (parsed, bytes, took) = blocking(move || -> Result<_, ServerError> {
        let started = Instant::now();
        let out = run_ok(&*s, &cmd)?;
        let took = started.elapsed();
        let parsed = overview::parse(&out.stdout).map_err(|detail| ServerError::Parse {
            command: cmd.brief(),
            detail,
        })?;
        Ok((parsed, out.stdout.len() + out.stderr.len(), took))
    })
    .await?;
    let overview = ServerOverview {
        host: server.host.clone(),
        user: server.user.clone(),
        port: server.port,
        seen_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        took_ms: took.as_millis() as u64,
        bytes: bytes as u64,
        system: parsed.system,
        containers: parsed.containers,
    };
    events.data(Step::Status, "overview", &overview);
    events.finished_step(timer, overview.summary());
    Ok(overview)
}
