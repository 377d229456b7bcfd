//! `ferry doctor` and the deploy's preflight: the known deployment traps, checked before they
//! bite. Each check returns findings (see [`finding`]); problems are findings, not errors.
//!
//! - [`local`]: this machine's Docker engine, its disk, an already built image;
//! - [`dockerfile`]: the Dockerfile the build will use;
//! - [`project`]: the build context and `go.mod`;
//! - [`server`]: the server, over SSH.

pub mod apply;
pub mod config_edit;
mod context_files;
pub mod dockerfile;
mod dockerfile_parse;
mod finding;
mod image_ref;
pub mod local;
pub mod project;
pub mod server;
#[cfg(test)]
mod test_project;
mod used_dockerfile;

pub use apply::{apply, FixError};
pub use finding::{
    sha256_hex, AutoFix, FileEdit, Finding, FixAction, ServerCommand, Severity, Text,
};

use crate::config::{Platform, Project};
use crate::connect::{self, blocking, ConnectOptions};
use crate::deploy;
use crate::docker::Engine;
use crate::events::{Events, Step};
use crate::secrets::{self, Keyring};
use crate::server::{Remote, ServerInfo};
use crate::Error;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
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

    /// Adds findings, reporting each as a `finding` data event.
    fn add(&mut self, findings: Vec<Finding>, events: &Events) {
        for finding in findings {
            events.data(Step::Check, "finding", &finding);
            self.findings.push(finding);
        }
    }
}

/// `ferry doctor`: every check, on this machine, the project and the server.
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

    let engine = match Engine::connect().await {
        Ok(engine) => Some(engine),
        Err(e) => {
            report.add(vec![local::unreachable(&e)], events);
            None
        }
    };
    if let Some(engine) = &engine {
        report.add(local::check(engine).await, events);
    }
    report.add(registry_password(project, keyring), events);

    let mut target = None;
    match connect::open_app(project, opts, keyring, events).await {
        Ok(conn) => {
            match deploy::target_platform(project, &conn.server) {
                Ok(platform) => target = Some(platform),
                Err(e) => report.add(
                    vec![local::arch_mismatch(project, &conn.server, &e)],
                    events,
                ),
            }
            if let Some(engine) = &engine {
                report.add(
                    local::built_image(engine, project, &conn.server).await,
                    events,
                );
            }
            report.add(
                on_server(conn.session, conn.server, project, target).await,
                events,
            );
        }
        Err(e) => report.add(vec![server::connect_failure(&e)], events),
    }
    report.add(in_project(project, target).await, events);

    events.finished_step(timer, report.summary());
    Ok(report)
}

/// The deploy's preflight, once connected and before anything is built: the project and
/// server checks. Findings are reported as events; errors stop the deploy, warnings do not.
pub async fn preflight(
    project: &Project,
    session: Arc<crate::ssh::Session>,
    server: &ServerInfo,
    engine: &Engine,
    target: Platform,
    events: &Events,
) -> Result<Report, Error> {
    let timer = events.started(Step::Check, "checking the project and the server");
    let mut report = Report::default();
    report.add(local::check(engine).await, events);
    report.add(
        on_server(session, server.clone(), project, Some(target)).await,
        events,
    );
    report.add(in_project(project, Some(target)).await, events);
    if report.has_errors() {
        let errors: Vec<String> = report.errors().map(|f| f.message.en.clone()).collect();
        return Err(Error::Preflight {
            count: errors.len(),
            problems: errors.join("; "),
        });
    }
    events.finished_step(timer, report.summary());
    Ok(report)
}

/// The Dockerfile, build context and `go.mod` checks (they read files: on a blocking thread).
async fn in_project(project: &Project, target: Option<Platform>) -> Vec<Finding> {
    let project = project.clone();
    blocking(move || {
        let mut findings = dockerfile::check(&project, target);
        findings.extend(project::check(&project, target));
        findings
    })
    .await
}

async fn on_server(
    session: Arc<crate::ssh::Session>,
    server: ServerInfo,
    project: &Project,
    target: Option<Platform>,
) -> Vec<Finding> {
    let project = project.clone();
    blocking(move || server::check(&*session as &dyn Remote, &server, &project, target)).await
}

fn registry_password(project: &Project, keyring: &Keyring) -> Vec<Finding> {
    let Some(registry) = &project.config.registry else {
        return Vec::new();
    };
    let entry = secrets::registry_entry(registry);
    match keyring.resolve(secrets::ENV_REGISTRY_PASSWORD, &entry) {
        Ok(Some(_)) => Vec::new(),
        Ok(None) => vec![Finding::error(
            "secrets.registry_password_missing",
            format!("no password saved for registry {}", registry.server),
            format!("没有保存镜像仓库 {} 的密码", registry.server),
        )
        .fix(
            format!("save it with: ferry secret set {entry}"),
            format!("用此命令保存：ferry secret set {entry}"),
        )],
        Err(e) => vec![Finding::warning(
            "secrets.keyring_unavailable",
            e.to_string(),
            format!("无法使用系统钥匙串：{e}"),
        )],
    }
}

/// `ferry doctor --fix ID`: runs the checks again (quietly), then applies the automatic fix of
/// the finding `id`. Returns the fix's label.
pub async fn fix_by_id(
    project: &Project,
    id: &str,
    opts: &ConnectOptions,
    keyring: &Keyring,
    events: &Events,
) -> Result<String, Error> {
    let report = run(project, opts, keyring, &Events::discard()).await?;
    let finding = report.findings.iter().find(|f| f.id == id);
    let Some(auto) = finding.and_then(|f| f.auto_fix.clone()) else {
        let fixable: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.auto_fix.is_some())
            .map(|f| f.id.as_str())
            .collect();
        let listed = if fixable.is_empty() {
            "none".to_string()
        } else {
            fixable.join(", ")
        };
        return Err(Error::Other(match finding {
            Some(_) => {
                format!("`{id}` has no automatic fix; its suggested fix is in `ferry doctor`")
            }
            None => format!("no finding `{id}` now; findings with an automatic fix: {listed}"),
        }));
    };
    let timer = events.started(Step::Check, format!("fixing {id}: {}", auto.label.en));
    describe(&auto.action, events);
    apply(project, &auto, opts, keyring, events).await?;
    events.finished_step(timer, "fixed");
    Ok(auto.label.en)
}

/// Says exactly what a fix will change, before it changes it.
fn describe(action: &FixAction, events: &Events) {
    match action {
        FixAction::EditFiles { files } => {
            for f in files {
                let verb = if f.base_sha256.is_some() {
                    "rewrite"
                } else {
                    "create"
                };
                events.log(Step::Check, format!("{verb} {}", f.path));
            }
        }
        FixAction::RunOnServer { commands } => {
            for c in commands {
                events.log(Step::Check, format!("run on the server: {}", c.shell));
            }
        }
    }
}
