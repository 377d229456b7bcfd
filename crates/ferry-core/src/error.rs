//! The one error type of Ferry's operations, wrapping each module's own.

use crate::catalog::Msg;
use crate::events::Diagnosis;
use crate::msg;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Secrets(#[from] crate::secrets::SecretsError),
    #[error(transparent)]
    Docker(#[from] crate::docker::DockerError),
    #[error(transparent)]
    Ssh(#[from] crate::ssh::SshError),
    #[error(transparent)]
    Server(#[from] crate::server::ServerError),
    #[error(transparent)]
    Release(#[from] crate::release::ReleaseError),
    #[error(transparent)]
    Context(#[from] crate::context::ContextError),
    #[error(transparent)]
    GoMod(#[from] crate::gomod::GoModError),
    #[error("{}", self.message())]
    MissingRegistryPassword {
        server: String,
        user: String,
        entry: String,
    },
    #[error("{}", self.message())]
    MissingSecretEnv { name: String, entry: String },
    #[error("{}", self.message())]
    PlatformMismatch {
        wanted: String,
        host: String,
        machine: String,
        server_platform: String,
    },
    #[error("{}", self.message())]
    WindowsContainers,
    #[error("{}", self.message())]
    MissingDockerfile(String),
    #[error("{}", self.message())]
    Preflight { problems: Vec<Msg> },
    #[error(transparent)]
    Fix(#[from] crate::doctor::FixError),
    #[error(transparent)]
    Lock(#[from] crate::lock::LockError),
    #[error("{}", self.message())]
    Cancelled,
    /// `ferry logs`, `status`... of an app that has no container on the server.
    #[error("{}", self.message())]
    NoContainer { app: String },
    #[error("{}", self.message())]
    LogsEnded { status: i32 },
    #[error("{0}")]
    Other(String),
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
            Error::Fix(_) | Error::Other(_) => msg!("as-is", text = self.to_string()),
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
            Error::PlatformMismatch {
                wanted,
                host,
                machine,
                server_platform,
            } => msg!(
                "error-platform-mismatch",
                wanted = wanted,
                host = host,
                machine = machine,
                server_platform = server_platform
            ),
            Error::WindowsContainers => msg!("error-windows-containers"),
            Error::MissingDockerfile(path) => msg!("error-missing-dockerfile", path = path),
            Error::Preflight { problems } => msg!(
                "error-preflight",
                count = problems.len(),
                problems = problems.clone()
            ),
            Error::Cancelled => msg!("cancelled"),
            Error::NoContainer { app } => msg!("error-no-container", app = app),
            Error::LogsEnded { status } => msg!("error-logs-ended", status = *status),
        }
    }

    /// Whether the user stopped it (a cancel), as opposed to a failure.
    pub fn is_cancelled(&self) -> bool {
        matches!(
            self,
            Error::Cancelled
                | Error::Release(crate::release::ReleaseError::Interrupted {
                    cause: crate::release::Cause::Cancelled,
                    ..
                })
        )
    }

    /// Why it failed, when Ferry recognises it: a release that failed its health gate, or a
    /// registry that refused a push or pull.
    pub fn diagnosis(&self) -> Option<Diagnosis> {
        match self {
            Error::Release(crate::release::ReleaseError::Unhealthy(d)) => Some((**d).clone()),
            _ => crate::diagnose::explain_error(self),
        }
    }
}
