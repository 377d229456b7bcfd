//! The one error type of Ferry's operations, wrapping each module's own.

use crate::adapters::server::ServerError;
use crate::adapters::ssh::SshError;
use crate::catalog::Msg;
use crate::events::Diagnosis;
use crate::flows::lock::LockError;
use crate::flows::release::ReleaseError;
use crate::msg;
use serde::{Deserialize, Serialize};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] crate::formats::config::ConfigError),
    #[error(transparent)]
    Secrets(#[from] crate::adapters::secrets::SecretsError),
    #[error(transparent)]
    Docker(#[from] crate::adapters::docker::DockerError),
    #[error(transparent)]
    Ssh(#[from] crate::adapters::ssh::SshError),
    #[error(transparent)]
    Server(#[from] crate::adapters::server::ServerError),
    #[error(transparent)]
    Release(#[from] crate::flows::release::ReleaseError),
    #[error(transparent)]
    Context(#[from] crate::formats::context::ContextError),
    #[error(transparent)]
    GoMod(#[from] crate::formats::gomod::GoModError),
    #[error(transparent)]
    Archive(#[from] crate::formats::image_archive::ArchiveError),
    #[error(transparent)]
    GoBuild(#[from] crate::adapters::go::GoBuildError),
    #[error(transparent)]
    Registry(#[from] crate::adapters::registry::push::RegistryError),
    #[error("{}", self.message())]
    MissingRegistryPassword {
        server: String,
        user: String,
        entry: String,
    },
    #[error("{}", self.message())]
    MissingSecretEnv { name: String, entry: String },
    #[error(transparent)]
    Plan(#[from] crate::plan::PlanError),
    #[error("{}", self.message())]
    Preflight { problems: Vec<Msg> },
    #[error(transparent)]
    Fix(#[from] crate::doctor::FixError),
    #[error(transparent)]
    Lock(#[from] crate::flows::lock::LockError),
    #[error("{}", self.message())]
    Cancelled,
    /// `ferry logs`, `status`... of an app that has no container on the server.
    #[error("{}", self.message())]
    NoContainer { app: String },
    #[error("{}", self.message())]
    LogsEnded { status: i32 },
    /// A panic inside an operation, caught by the runner.
    #[error("{}", self.message())]
    Internal(String),
    /// A failure a shell words itself (the CLI's own), already a catalog message.
    #[error("{0}")]
    Said(Msg),
}

/// What a user interface branches on (docs/app-api.md, "Errors").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// A first-seen server: show the fingerprint, and call again with it as `trust_host_key`.
    UnknownHostKey,
    /// The server's key is not the one pinned or known.
    HostKeyMismatch,
    /// The server refused the login, or the key could not be used.
    AuthFailed,
    /// No SSH connection to the server (DNS, refused, timeout, broken).
    Unreachable,
    /// The local Docker engine is not running or not usable.
    DockerUnreachable,
    /// ferry.toml (or the settings form) has a wrong value.
    Config,
    /// The registry refused the login (on this machine or the server), or no password is
    /// saved for it.
    RegistryAuth,
    /// The user cancelled the operation.
    Cancelled,
    /// The new release failed its health check (`diagnosis` says why).
    Unhealthy,
    /// The deploy's preflight found errors (the stream's `finding` events list them); nothing
    /// was built or changed.
    Preflight,
    /// An automatic fix was not applied: the checks run again no longer find that finding or
    /// derive another fix than the one shown, a file changed since the check, or the path is
    /// not in the project. Nothing was changed; run the checks again.
    FixRefused,
    /// Another deploy or rollback of the app holds the server's deploy lock (or took it over).
    Lock,
    Other,
}

impl Error {
    /// What went wrong and what to do, from the catalog.
    pub fn message(&self) -> Msg {
        match self {
            Error::Ssh(e) => e.message(),
            Error::Server(e) => e.message(),
            Error::Release(e) => e.message(),
            Error::Secrets(e) => e.message(),
            Error::Lock(e) => e.message(),
            Error::Config(e) => e.message(),
            Error::Docker(e) => e.message(),
            Error::Context(e) => e.message(),
            Error::GoMod(e) => e.message(),
            Error::Archive(e) => e.message(),
            Error::GoBuild(e) => e.message(),
            Error::Registry(e) => e.message(),
            Error::Fix(e) => e.message(),
            Error::MissingRegistryPassword {
                server,
                user,
                entry,
            } => msg!(
                "error-missing-registry-password",
                server = server,
                user = user,
                entry = entry
            ),
            Error::MissingSecretEnv { name, entry } => {
                msg!("error-missing-secret-env", name = name, entry = entry)
            }
            Error::Plan(e) => e.message(),
            Error::Preflight { problems } => msg!(
                "error-preflight",
                count = problems.len(),
                problems = problems.clone()
            ),
            Error::Cancelled => msg!("cancelled"),
            Error::NoContainer { app } => msg!("error-no-container", app = app),
            Error::LogsEnded { status } => msg!("error-logs-ended", status = *status),
            Error::Internal(detail) => msg!("error-internal", detail = detail),
            Error::Said(m) => m.clone(),
        }
    }

    /// Whether the user stopped it (a cancel), as opposed to a failure.
    pub fn is_cancelled(&self) -> bool {
        matches!(
            self,
            Error::Cancelled
                | Error::Registry(crate::adapters::registry::push::RegistryError::Cancelled)
                | Error::Release(crate::flows::release::ReleaseError::Interrupted {
                    cause: crate::flows::release::Cause::Cancelled,
                    ..
                })
        )
    }

    /// What kind of failure this is, however deep the cause is wrapped.
    pub fn kind(&self) -> ErrorKind {
        if let Some(ssh) = self.ssh() {
            return ssh_kind(ssh);
        }
        if self.is_cancelled() {
            return ErrorKind::Cancelled;
        }
        use crate::adapters::docker::DockerError as D;
        match self {
            Error::Config(_)
            | Error::GoMod(_)
            | Error::Plan(
                crate::plan::PlanError::GoMod(_)
                | crate::plan::PlanError::MissingDockerfile(_)
                | crate::plan::PlanError::PlatformMismatch { .. },
            )
            | Error::GoBuild(crate::adapters::go::GoBuildError::NeedsCgo { .. })
            | Error::Secrets(crate::adapters::secrets::SecretsError::BadEnvSecret(_)) => {
                ErrorKind::Config
            }
            Error::Docker(D::Unreachable { .. } | D::PermissionDenied { .. })
            | Error::Plan(
                crate::plan::PlanError::NoBuilder { .. } | crate::plan::PlanError::NoGo,
            ) => ErrorKind::DockerUnreachable,
            Error::Docker(D::RegistryAuth { .. })
            | Error::MissingRegistryPassword { .. }
            | Error::Registry(crate::adapters::registry::push::RegistryError::Unauthorized {
                ..
            }) => ErrorKind::RegistryAuth,
            Error::Preflight { .. } => ErrorKind::Preflight,
            Error::Fix(_) => ErrorKind::FixRefused,
            Error::Release(ReleaseError::Unhealthy(_)) => ErrorKind::Unhealthy,
            _ if self
                .lock()
                .is_some_and(|l| !matches!(l, LockError::Server(_))) =>
            {
                ErrorKind::Lock
            }
            _ if self.server().is_some_and(registry_refused_login) => ErrorKind::RegistryAuth,
            _ => ErrorKind::Other,
        }
    }

    /// The SSH error inside, however deep it is wrapped (`Lock(Server(Ssh))`...).
    pub fn ssh(&self) -> Option<&SshError> {
        match self {
            Error::Ssh(s) => Some(s),
            _ => match self.server()? {
                ServerError::Ssh(s) => Some(s),
                _ => None,
            },
        }
    }

    /// The server-side error inside, however deep it is wrapped.
    pub fn server(&self) -> Option<&ServerError> {
        match self {
            Error::Server(s)
            | Error::Lock(LockError::Server(s))
            | Error::Plan(crate::plan::PlanError::Server(s)) => Some(s),
            Error::Release(r) => r.server(),
            _ => None,
        }
    }

    fn lock(&self) -> Option<&LockError> {
        match self {
            Error::Lock(l) => Some(l),
            Error::Release(r) => r.lock(),
            _ => None,
        }
    }

    /// The host key the server presented, for an unknown or mismatched one.
    pub fn fingerprint(&self) -> Option<&str> {
        match self.ssh()? {
            SshError::UnknownHostKey { fingerprint, .. } => Some(fingerprint),
            SshError::HostKeyMismatch { actual, .. } => Some(actual),
            _ => None,
        }
    }

    /// The host key Ferry expected, for a mismatched one.
    pub fn expected_fingerprint(&self) -> Option<&str> {
        match self.ssh()? {
            SshError::HostKeyMismatch { expected, .. } => Some(expected),
            _ => None,
        }
    }

    /// Why it failed, when Ferry recognises it: a release that failed its health gate, or a
    /// registry that refused a push or pull.
    pub fn diagnosis(&self) -> Option<Diagnosis> {
        match self {
            Error::Release(crate::flows::release::ReleaseError::Unhealthy(d)) => {
                Some((**d).clone())
            }
            _ => {
                let docker = match self {
                    Error::Docker(d) => Some(d),
                    _ => None,
                };
                explain_error(docker, self.server())
            }
        }
    }
}

fn ssh_kind(e: &SshError) -> ErrorKind {
    match e {
        SshError::UnknownHostKey { .. } => ErrorKind::UnknownHostKey,
        SshError::HostKeyMismatch { .. } => ErrorKind::HostKeyMismatch,
        SshError::AuthFailed { .. }
        | SshError::KeyFileMissing { .. }
        | SshError::KeyNeedsPassphrase { .. }
        | SshError::KeyUnreadable { .. } => ErrorKind::AuthFailed,
        SshError::Unreachable { .. }
        | SshError::Handshake { .. }
        | SshError::Disconnected { .. }
        | SshError::CommandTimeout { .. } => ErrorKind::Unreachable,
        SshError::InvalidFingerprint { .. } => ErrorKind::Config,
        _ => ErrorKind::Other,
    }
}

/// An error as a user interface gets it: its kind, its message and what goes with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub kind: ErrorKind,
    /// What happened and what to do.
    pub message: String,
    /// `message` as a catalog id and arguments, for the UI to render in its own language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    #[serde(default, skip_serializing_if = "no_args")]
    pub args: Box<crate::events::Args>,
    /// unknown_host_key / host_key_mismatch: the key the server presented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// host_key_mismatch: the key Ferry expected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// Why it failed, when Ferry recognises it (a failed health check, a registry refusal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<Box<Diagnosis>>,
}

impl Report {
    /// A report of `kind` with only a message.
    pub fn new(kind: ErrorKind, message: String) -> Self {
        Report {
            kind,
            message,
            message_id: None,
            args: Default::default(),
            fingerprint: None,
            expected: None,
            diagnosis: None,
        }
    }
}

impl From<&Error> for Report {
    fn from(e: &Error) -> Self {
        let message = e.message();
        Report {
            kind: e.kind(),
            message: message.text(),
            message_id: Some(message.id().to_string()),
            args: Box::new(message.args().clone()),
            fingerprint: e.fingerprint().map(str::to_string),
            expected: e.expected_fingerprint().map(str::to_string),
            diagnosis: e.diagnosis().map(Box::new),
        }
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl<E: Into<Error>> From<E> for Report {
    fn from(e: E) -> Self {
        Report::from(&e.into())
    }
}

#[allow(clippy::borrowed_box)] // serde hands the field over as it is
fn no_args(args: &Box<crate::events::Args>) -> bool {
    args.is_empty()
}

/// Whether the registry refused the server's `docker login` or `docker pull` for its
/// credentials (a 401), as opposed to a TLS or network problem.
pub(crate) fn registry_refused_login(e: &ServerError) -> bool {
    match e {
        ServerError::RegistryLogin { stderr, .. } | ServerError::Pull { stderr, .. } => {
            crate::diagnose::stderr_cause(stderr) == Some(crate::diagnose::REGISTRY_UNAUTHORIZED)
        }
        _ => false,
    }
}

/// A diagnosis for a failure before any release started: the registry refusing a push (on
/// this machine: `docker`) or a pull (on the server: `server`, however deep it was wrapped).
/// `None` when the failure is not one of those.
fn explain_error(
    docker: Option<&crate::adapters::docker::DockerError>,
    server: Option<&ServerError>,
) -> Option<Diagnosis> {
    let (summary, text) = match (docker, server) {
        (
            Some(
                d @ (crate::adapters::docker::DockerError::RegistryTls { .. }
                | crate::adapters::docker::DockerError::RegistryAuth { .. }
                | crate::adapters::docker::DockerError::PushFailed { .. }),
            ),
            _,
        ) => (crate::msg!("diagnosis-push-refused"), registry_text(d)),
        (_, Some(ServerError::Pull { stderr, .. })) => {
            (crate::msg!("diagnosis-pull-failed"), stderr.clone())
        }
        (_, Some(ServerError::RegistryLogin { stderr, .. })) => {
            (crate::msg!("diagnosis-login-failed"), stderr.clone())
        }
        (_, Some(ServerError::Load { stderr })) => {
            (crate::msg!("diagnosis-load-failed"), stderr.clone())
        }
        (
            _,
            Some(ServerError::Command {
                command, stderr, ..
            }),
        ) if command.contains(" pull ") => (crate::msg!("diagnosis-pull-failed"), stderr.clone()),
        _ => return None,
    };
    let cause = crate::diagnose::stderr_cause(&text).filter(|c| {
        c.id.starts_with("registry_")
            || c.id == crate::diagnose::EXEC_FORMAT.id
            || c.id == crate::diagnose::DISK_FULL.id
    })?;
    Some(Diagnosis {
        summary,
        hint: Some(cause.hint()),
        log_tail: text.lines().map(str::to_string).collect(),
        cause: Some(cause.id.to_string()),
        ..Diagnosis::default()
    })
}

/// The words that identify a registry error: the classified kind as the registry says it.
fn registry_text(e: &crate::adapters::docker::DockerError) -> String {
    match e {
        crate::adapters::docker::DockerError::RegistryTls { detail, .. } => {
            format!("x509: {detail}")
        }
        crate::adapters::docker::DockerError::RegistryAuth { .. } => {
            format!("401 Unauthorized: {e}")
        }
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::release::{Cause, Outcome};

    fn disconnected() -> ServerError {
        ServerError::Ssh(SshError::Disconnected {
            host: "10.0.0.2:22".into(),
            action: crate::msg!("ssh-action-running", command = "docker inspect hello"),
            detail: "broken pipe".into(),
        })
    }

    fn interrupted(cause: Cause) -> Error {
        Error::Release(ReleaseError::Interrupted {
            app: "hello".into(),
            cause,
            outcome: Outcome::Restored(Some("1".into())),
        })
    }

    #[test]
    fn a_lost_connection_is_unreachable_however_deep() {
        let wrapped = [
            Error::Server(disconnected()),
            Error::Lock(LockError::Server(disconnected())),
            Error::Release(ReleaseError::Lock(LockError::Server(disconnected()))),
            interrupted(Cause::Failed(Box::new(
                ReleaseError::Server(disconnected()),
            ))),
        ];
        for e in wrapped {
            assert_eq!(e.kind(), ErrorKind::Unreachable, "{e:?}");
            assert!(e.ssh().is_some());
        }
    }

    #[test]
    fn an_interrupted_switch_keeps_its_message_and_cause() {
        let e = interrupted(Cause::Failed(Box::new(
            ReleaseError::Server(disconnected()),
        )));
        assert!(
            e.to_string().starts_with(&format!(
                "the release switch stopped: {}; release 1 serves again",
                disconnected()
            )),
            "{e}"
        );
        let lost = LockError::Lost {
            app: "hello".into(),
            holder: crate::msg!("lock-holder-another"),
        };
        let e = interrupted(Cause::Failed(Box::new(ReleaseError::Lock(lost))));
        assert_eq!(e.kind(), ErrorKind::Lock);
        assert_eq!(interrupted(Cause::Cancelled).kind(), ErrorKind::Cancelled);
    }

    #[test]
    fn a_host_key_report_carries_both_fingerprints() {
        let e = Error::Lock(LockError::Server(ServerError::Ssh(
            SshError::HostKeyMismatch {
                host: "10.0.0.2:22".into(),
                key_type: "ssh-ed25519".into(),
                expected: "SHA256:old".into(),
                actual: "SHA256:new".into(),
                origin: Box::new(crate::adapters::ssh::KeyOrigin::Pinned),
            },
        )));
        let report = Report::from(&e);
        assert_eq!(report.kind, ErrorKind::HostKeyMismatch);
        assert_eq!(report.fingerprint.as_deref(), Some("SHA256:new"));
        assert_eq!(report.expected.as_deref(), Some("SHA256:old"));
        assert_eq!(report.message, e.to_string());
    }
}
