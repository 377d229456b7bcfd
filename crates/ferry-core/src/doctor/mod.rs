//! `ferry doctor` and the deploy's preflight: the known deployment traps, checked before they
//! bite. Each check returns findings (see [`finding`]); problems are findings, not errors.
//!
//! - [`local`]: this machine's Docker engine, its disk, an already built image;
//! - [`dockerfile`]: the Dockerfile the build will use;
//! - [`base_images`], [`goproxy`]: what that build downloads (base images, Go modules), asked
//!   of the registries and proxies quickly, before it starts;
//! - [`project`]: the build context and `go.mod`;
//! - [`server`]: the server, over SSH.

pub mod apply;
pub mod base_images;
pub mod config_edit;
mod context_files;
pub mod dockerfile;
mod dockerfile_parse;
mod finding;
pub mod goproxy;
mod image_ref;
pub mod local;
pub mod project;
pub mod server;
#[cfg(test)]
mod test_project;
mod used_dockerfile;

pub use apply::{apply, FixError};
pub use finding::{sha256_hex, AutoFix, FileEdit, Finding, FixAction, ServerCommand, Severity};

use crate::adapters::docker::Engine;
use crate::adapters::secrets::{self, Keyring};
use crate::adapters::server::{Remote, ServerInfo};
use crate::catalog::Msg;
use crate::events::{Events, Step};
use crate::flows::connect::{self, blocking, ConnectOptions};
use crate::formats::config::{Builder, Platform, Project};
use crate::msg;
use crate::plan;
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

    pub fn summary(&self) -> Msg {
        let count = |s| self.findings.iter().filter(|f| f.severity == s).count();
        let (e, w) = (count(Severity::Error), count(Severity::Warning));
        if e == 0 && w == 0 {
            msg!("doctor-no-problems")
        } else {
            msg!("doctor-summary", errors = e, warnings = w)
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
    let timer = events.started(Step::Check, msg!("step-check-all"));

    let builder = project.config.app.builder;
    let go = blocking(crate::adapters::go::find).await;
    let engine = match builder {
        Builder::Go => {
            report.add(
                vec![local::without_engine(builder, None, go.as_ref())],
                events,
            );
            None
        }
        _ => match Engine::connect().await {
            Ok(engine) => Some(engine),
            Err(e) => {
                let finding = local::without_engine(builder, Some(&e), go.as_ref());
                report.add(vec![finding], events);
                None
            }
        },
    };
    if let Some(engine) = &engine {
        report.add(local::check(engine).await, events);
    }
    report.add(registry_password(project, keyring), events);

    let mut target = None;
    match connect::open_app(project, opts, keyring, events).await {
        Ok(conn) => {
            match plan::target_platform(project, &conn.server) {
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
    let effective = match (builder, &engine, &go) {
        (Builder::Auto, None, Some(_)) => Builder::Go,
        (b, _, _) => b,
    };
    report.add(in_project(project, target, effective).await, events);
    if effective != Builder::Go {
        // The server's platform, else the configured one (unknown: any platform will do).
        let platform = target.unwrap_or(project.config.app.platform);
        report.add(
            before_build(project, platform, engine.as_ref(), go.as_ref()).await,
            events,
        );
    }

    events.finished_step(timer, report.summary());
    Ok(report)
}

/// What a Docker build is about to download, checked first: every base image (local for
/// `target`, else there in its registry) and the Go module proxy. For `ferry doctor` and the
/// deploy's preflight when the Docker builder is used; `engine` is `None` when it does not
/// answer (then only the registries are asked). Bounded: a few seconds at most.
pub async fn before_build(
    project: &Project,
    target: Platform,
    engine: Option<&Engine>,
    go: Option<&crate::adapters::go::GoToolchain>,
) -> Vec<Finding> {
    let facts = match engine {
        Some(engine) => base_images::EngineFacts::read(engine, base_images::TIMEOUT).await,
        None => base_images::EngineFacts::default(),
    };
    let (mut findings, proxies) = futures_util::join!(
        base_images::check_with(project, target, engine, &facts, base_images::TIMEOUT),
        goproxy::check(project, go.map(|g| &g.env), goproxy::TIMEOUT)
    );
    findings.extend(proxies.into_iter().map(|f| {
        if facts.proxy.is_some() && f.severity == Severity::Error {
            // The engine's builds go through a proxy this check did not use.
            Finding {
                severity: Severity::Warning,
                ..f
            }
        } else {
            f
        }
    }));
    findings
}

/// What the deploy builds with on this machine, as it decided it.
pub struct Building<'a> {
    pub builder: Builder,
    pub engine: Option<&'a Engine>,
    pub go: Option<&'a crate::adapters::go::GoToolchain>,
}

/// The deploy's preflight, once connected and before anything is built: the project and
/// server checks. Findings are reported as events; errors stop the deploy, warnings do not.
pub async fn preflight(
    project: &Project,
    session: Arc<crate::adapters::ssh::Session>,
    server: &ServerInfo,
    building: Building<'_>,
    target: Platform,
    events: &Events,
) -> Result<Report, Error> {
    let Building {
        builder,
        engine,
        go,
    } = building;
    let timer = events.started(Step::Check, msg!("step-check-preflight"));
    let mut report = Report::default();
    if let Some(engine) = engine {
        report.add(local::check(engine).await, events);
    }
    // What the Docker build will download is asked while the server is checked.
    let images = async {
        match builder {
            Builder::Go => Vec::new(),
            _ => before_build(project, target, engine, go).await,
        }
    };
    let (on_server, images) = futures_util::join!(
        on_server(session, server.clone(), project, Some(target)),
        images
    );
    report.add(on_server, events);
    report.add(in_project(project, Some(target), builder).await, events);
    report.add(images, events);
    if report.has_errors() {
        let problems = report.errors().map(|f| f.message.clone()).collect();
        return Err(Error::Preflight { problems });
    }
    events.finished_step(timer, report.summary());
    Ok(report)
}

type ProjectCheck = fn(&Project, Option<Platform>) -> Vec<Finding>;

/// The checks of the project's files, by family, in the order their findings are reported.
const PROJECT_CHECKS: &[(&str, ProjectCheck)] = &[
    ("dockerfile", dockerfile::check),
    ("project", project::check),
];

/// The Dockerfile, build context and `go.mod` checks (they read files: on a blocking thread).
/// The Go builder uses no Dockerfile: its checks do not apply.
async fn in_project(project: &Project, target: Option<Platform>, builder: Builder) -> Vec<Finding> {
    let project = project.clone();
    let go = builder == Builder::Go;
    blocking(move || {
        PROJECT_CHECKS
            .iter()
            .filter(|(family, _)| !(go && *family == "dockerfile"))
            .flat_map(|(_, run)| run(&project, target))
            .collect()
    })
    .await
}

async fn on_server(
    session: Arc<crate::adapters::ssh::Session>,
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
            msg!(
                "check-secrets-registry_password_missing",
                server = &registry.server
            ),
        )
        .fix(msg!(
            "check-secrets-registry_password_missing-fix",
            entry = &entry
        ))],
        Err(e) => vec![Finding::warning("secrets.keyring_unavailable", e.message())],
    }
}

/// Applies the automatic fix of the finding `id`, for `ferry doctor --fix ID` and the app's
/// Apply: runs the checks again (quietly) and applies the fix *they* derive, never one handed
/// in. `shown` is the [`AutoFix::digest`] of the fix the user was shown (the app's preview);
/// when given, a fix that is no longer that one is refused. Returns the fix's label.
pub async fn fix_by_id(
    project: &Project,
    id: &str,
    shown: Option<&str>,
    opts: &ConnectOptions,
    keyring: &Keyring,
    events: &Events,
) -> Result<Msg, Error> {
    let report = run(project, opts, keyring, &Events::discard()).await?;
    let auto = fix_of(&report, id, shown)?;
    let timer = events.started(
        Step::Check,
        msg!("step-fix", id = id, label = auto.label.clone()),
    );
    describe(&auto.action, events);
    apply(project, &auto, opts, keyring, events).await?;
    events.finished_step(timer, msg!("step-fix-done"));
    Ok(auto.label)
}

/// The automatic fix of the finding `id` in `report`, if it is still the one `shown` (a digest).
fn fix_of(report: &Report, id: &str, shown: Option<&str>) -> Result<AutoFix, FixError> {
    let fixable = || {
        let ids: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.auto_fix.is_some())
            .map(|f| f.id.as_str())
            .collect();
        if ids.is_empty() {
            "none".to_string()
        } else {
            ids.join(", ")
        }
    };
    let Some(finding) = report.findings.iter().find(|f| f.id == id) else {
        return Err(FixError::NoFinding {
            id: id.to_string(),
            fixable: fixable(),
        });
    };
    let Some(auto) = &finding.auto_fix else {
        return Err(FixError::NoAutoFix {
            id: id.to_string(),
            fixable: fixable(),
        });
    };
    if shown.is_some_and(|digest| digest != auto.digest()) {
        let what = match &auto.action {
            FixAction::EditFiles { files } => {
                let paths: Vec<String> = files.iter().map(|f| format!("`{}`", f.path)).collect();
                msg!("fix-what-writes", paths = paths.join(", "))
            }
            FixAction::RunOnServer { .. } => msg!("fix-what-runs"),
        };
        return Err(FixError::NotAsShown {
            id: id.to_string(),
            what,
        });
    }
    Ok(auto.clone())
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
                events.say(Step::Check, msg!("fix-file", verb = verb, path = &f.path));
            }
        }
        FixAction::RunOnServer { commands } => {
            for c in commands {
                events.say(Step::Check, msg!("fix-run-on-server", command = &c.shell));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        let crlf = Finding::warning("context.crlf_scripts", msg!("check-context-crlf_scripts"))
            .auto_fix(AutoFix::new(
                msg!("check-context-crlf_scripts-autofix"),
                FixAction::EditFiles {
                    files: vec![FileEdit::replace("run.sh", b"echo\r\n", "echo\n")],
                },
            ));
        let firewall = Finding::warning(
            "server.firewalld_port_closed",
            msg!("check-server-firewalld_port_closed", list = "8080/tcp"),
        )
        .auto_fix(AutoFix::new(
            msg!(
                "check-server-firewalld_port_closed-autofix",
                list = "8080/tcp"
            ),
            FixAction::RunOnServer {
                commands: vec![crate::adapters::remote::Cmd::new([
                    "firewall-cmd",
                    "--add-port=8080/tcp",
                ])
                .into()],
            },
        ));
        let root = Finding::info(
            "dockerfile.runs_as_root",
            msg!("check-dockerfile-runs_as_root"),
        );
        Report {
            findings: vec![crlf, firewall, root],
        }
    }

    #[test]
    fn the_fix_applied_is_the_one_the_checks_derive_now() {
        let report = report();
        let fix = fix_of(&report, "context.crlf_scripts", None).unwrap();
        assert_eq!(Some(&fix), report.findings[0].auto_fix.as_ref());
        let shown = fix.digest();
        assert_eq!(
            fix_of(&report, "context.crlf_scripts", Some(&shown)).unwrap(),
            fix
        );
    }

    #[test]
    fn an_id_without_a_finding_or_an_automatic_fix_is_refused_naming_the_fixable_ones() {
        let report = report();
        let err = fix_of(&report, "server.selinux_volume", None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the checks run just now found no `server.selinux_volume` (fixed already, or not a \
             finding id); nothing was changed. Findings with an automatic fix now: \
             context.crlf_scripts, server.firewalld_port_closed"
        );
        let err = fix_of(&report, "dockerfile.runs_as_root", None).unwrap_err();
        assert!(matches!(err, FixError::NoAutoFix { .. }), "{err}");
        assert!(err
            .to_string()
            .starts_with("`dockerfile.runs_as_root` has no automatic fix"));
        assert!(err
            .to_string()
            .ends_with("context.crlf_scripts, server.firewalld_port_closed"));

        let none = Report::default();
        let err = fix_of(&none, "context.crlf_scripts", None).unwrap_err();
        assert!(
            err.to_string().ends_with("automatic fix now: none"),
            "{err}"
        );
    }

    #[test]
    fn a_fix_that_changed_since_it_was_shown_is_refused() {
        let report = report();
        let err = fix_of(&report, "context.crlf_scripts", Some(&"0".repeat(64))).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the fix of `context.crlf_scripts` is no longer the one you were shown: what it \
             writes to `run.sh` changed since the check; nothing was changed. Run the checks \
             again and review the new fix."
        );
        let err = fix_of(&report, "server.firewalld_port_closed", Some("x")).unwrap_err();
        assert!(
            err.to_string()
                .contains("what it runs on the server changed"),
            "{err}"
        );
    }
}
