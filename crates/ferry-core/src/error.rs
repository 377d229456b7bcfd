//! The one error type of Ferry's operations, wrapping each module's own.

use crate::events::Diagnosis;

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
    #[error(
        "no password for registry {server} (user `{user}`): save it with \
         `ferry secret set {entry}` (it is read from standard input), or set \
         FERRY_REGISTRY_PASSWORD for this run"
    )]
    MissingRegistryPassword {
        server: String,
        user: String,
        entry: String,
    },
    #[error(
        "no value for the secret variable {name} (listed in secret_env): save it with \
         `ferry secret set {entry}` (it is read from standard input), or set \
         FERRY_SECRET_{name} for this run. Nothing was built or changed."
    )]
    MissingSecretEnv { name: String, entry: String },
    #[error(
        "ferry.toml asks for {wanted} but the server {host} is {machine} ({server_platform}): the \
         container would fail with \"exec format error\". Set platform = \"auto\" or \
         \"{server_platform}\" under [app]."
    )]
    PlatformMismatch {
        wanted: String,
        host: String,
        machine: String,
        server_platform: String,
    },
    #[error(
        "Docker on this machine runs Windows containers; Ferry builds Linux images. In Docker \
         Desktop choose \"Switch to Linux containers...\" and try again."
    )]
    WindowsContainers,
    #[error("the Dockerfile `{0}` named in ferry.toml does not exist in the build context")]
    MissingDockerfile(String),
    #[error(
        "the preflight checks found {count} problem(s) that would break this deploy: {problems}. \
         Nothing was built or changed on the server. Run `ferry doctor` for the details and fixes."
    )]
    Preflight { count: usize, problems: String },
    #[error(transparent)]
    Fix(#[from] crate::doctor::FixError),
    #[error(transparent)]
    Lock(#[from] crate::lock::LockError),
    #[error("cancelled: the release running on the server was left as it was")]
    Cancelled,
    #[error("{0}")]
    Other(String),
}

impl Error {
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
