//! `ferry doctor`: checks the project, this machine and the server before anything is built.
//! Each finding has a stable id, a severity, what was seen and what to do.

use crate::config::Project;
use crate::connect::{self, ConnectOptions};
use crate::deploy;
use crate::docker::Engine;
use crate::events::{Events, Step};
use crate::secrets::{self, Keyring};
use crate::Error;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id, e.g. `server.arch_mismatch`.
    pub id: String,
    pub severity: Severity,
    pub message: String,
    /// What was seen: a file and line, or a command's output.
    pub evidence: Option<String>,
    /// What to do about it.
    pub fix: Option<String>,
}

impl Finding {
    fn new(id: &str, severity: Severity, message: impl Into<String>) -> Finding {
        Finding {
            id: id.to_string(),
            severity,
            message: message.into(),
            evidence: None,
            fix: None,
        }
    }

    fn fix(mut self, fix: impl Into<String>) -> Finding {
        self.fix = Some(fix.into());
        self
    }

    fn evidence(mut self, evidence: impl Into<String>) -> Finding {
        self.evidence = Some(evidence.into());
        self
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    pub fn summary(&self) -> String {
        let count = |s| self.findings.iter().filter(|f| f.severity == s).count();
        let (e, w) = (count(Severity::Error), count(Severity::Warning));
        if e == 0 && w == 0 {
            "no problems found".to_string()
        } else {
            format!("{e} error(s), {w} warning(s)")
        }
    }

    fn add(&mut self, finding: Finding, events: &Events) {
        events.data(Step::Check, "finding", &finding);
        self.findings.push(finding);
    }
}

/// Runs every check; problems are findings, not errors.
pub async fn run(
    project: &Project,
    opts: &ConnectOptions,
    keyring: &Keyring,
    events: &Events,
) -> Result<Report, Error> {
    let mut report = Report::default();
    let timer = events.started(
        Step::Check,
        "checking this machine, the project and the server",
    );

    match Engine::connect().await {
        Ok(engine) => match engine.info().await {
            Ok(info) if info.os_type == "windows" => report.add(
                Finding::new(
                    "local.windows_containers",
                    Severity::Error,
                    "Docker Desktop runs Windows containers; Ferry builds Linux images",
                )
                .fix("In Docker Desktop choose \"Switch to Linux containers...\""),
                events,
            ),
            Ok(info) if !info.buildkit_available => report.add(
                Finding::new(
                    "local.no_buildkit",
                    Severity::Warning,
                    format!(
                        "Docker {} has no BuildKit: only {} images can be built",
                        info.version,
                        info.native_platform()
                    ),
                )
                .fix("Update Docker (18.09 or newer) to build for other architectures"),
                events,
            ),
            Ok(_) => {}
            Err(e) => report.add(
                Finding::new("local.docker_error", Severity::Error, e.to_string()),
                events,
            ),
        },
        Err(e) => report.add(
            Finding::new("local.docker_unreachable", Severity::Error, e.to_string())
                .fix("Start Docker Desktop (or the docker service) and run ferry doctor again"),
            events,
        ),
    }

    if let Some(registry) = &project.config.registry {
        let entry = secrets::registry_entry(registry);
        match keyring.resolve(secrets::ENV_REGISTRY_PASSWORD, &entry) {
            Ok(Some(_)) => {}
            Ok(None) => report.add(
                Finding::new(
                    "secrets.registry_password_missing",
                    Severity::Error,
                    format!("no password saved for registry {}", registry.server),
                )
                .fix(format!("ferry secret set {entry}")),
                events,
            ),
            Err(e) => report.add(
                Finding::new(
                    "secrets.keyring_unavailable",
                    Severity::Warning,
                    e.to_string(),
                ),
                events,
            ),
        }
    }

    match connect::open(project, opts, keyring, events).await {
        Ok(conn) => {
            if let Err(e) = deploy::target_platform(project, &conn.server) {
                report.add(
                    Finding::new("server.arch_mismatch", Severity::Error, e.to_string())
                        .evidence(format!("uname -m: {}", conn.server.machine))
                        .fix("platform = \"auto\" under [app] in ferry.toml"),
                    events,
                );
            }
        }
        Err(e) => report.add(
            Finding::new("server.unreachable", Severity::Error, e.to_string()),
            events,
        ),
    }

    events.finished_step(timer, report.summary());
    Ok(report)
}
