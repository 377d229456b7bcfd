//! `AppError`: what a command rejects with (docs/app-api.md, "Errors"). Every ferry-core error
//! becomes one in `app_error`, the only place that decides an error's kind.

use ferry_core::config::ConfigError;
use ferry_core::docker::DockerError;
use ferry_core::events::{Args, Diagnosis};
use ferry_core::release::ReleaseError;
use ferry_core::secrets::SecretsError;
use ferry_core::server::ServerError;
use ferry_core::ssh::SshError;
use ferry_core::Error;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppError {
    /// What the UI branches on: see [`Kind`].
    pub kind: Kind,
    /// The core's message: what happened and what to do.
    pub message: String,
    /// The message's catalog id and arguments, so the UI renders it in its own language.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// Boxed: a command's `Err` stays small.
    #[serde(skip_serializing_if = "no_args")]
    pub args: Box<Args>,
    /// unknown_host_key / host_key_mismatch: the key the server presented.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// host_key_mismatch: the key Ferry expected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
    /// unhealthy: why the release failed its health check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<Box<Diagnosis>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
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
    /// The registry refused the login, or no password is saved for it.
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
    Other,
}

impl AppError {
    fn new(kind: Kind, message: String) -> Self {
        AppError {
            kind,
            message,
            message_id: None,
            args: Box::default(),
            fingerprint: None,
            expected: None,
            diagnosis: None,
        }
    }
}

fn no_args(args: &Args) -> bool {
    args.is_empty()
}

/// The one mapping from a ferry-core error to what the UI gets.
pub fn app_error(e: &Error) -> AppError {
    let said = e.message();
    AppError {
        message_id: Some(said.id().to_string()),
        args: Box::new(said.args().clone()),
        ..classify(e)
    }
}

fn classify(e: &Error) -> AppError {
    let message = e.to_string();
    if let Some(ssh) = ssh_error(e) {
        return match ssh {
            SshError::UnknownHostKey { fingerprint, .. } => AppError {
                fingerprint: Some(fingerprint.clone()),
                ..AppError::new(Kind::UnknownHostKey, message)
            },
            SshError::HostKeyMismatch {
                expected, actual, ..
            } => AppError {
                fingerprint: Some(actual.clone()),
                expected: Some(expected.clone()),
                ..AppError::new(Kind::HostKeyMismatch, message)
            },
            SshError::AuthFailed { .. }
            | SshError::KeyFileMissing { .. }
            | SshError::KeyNeedsPassphrase { .. }
            | SshError::KeyUnreadable { .. } => AppError::new(Kind::AuthFailed, message),
            SshError::Unreachable { .. }
            | SshError::Handshake { .. }
            | SshError::Disconnected { .. }
            | SshError::CommandTimeout { .. } => AppError::new(Kind::Unreachable, message),
            SshError::InvalidFingerprint { .. } => AppError::new(Kind::Config, message),
            _ => AppError::new(Kind::Other, message),
        };
    }
    let kind = match e {
        Error::Config(_)
        | Error::GoMod(_)
        | Error::MissingDockerfile(_)
        | Error::PlatformMismatch { .. }
        | Error::Secrets(SecretsError::BadEnvSecret(_)) => Kind::Config,
        Error::Docker(DockerError::Unreachable { .. } | DockerError::PermissionDenied { .. }) => {
            Kind::DockerUnreachable
        }
        Error::Docker(DockerError::RegistryAuth { .. }) | Error::MissingRegistryPassword { .. } => {
            Kind::RegistryAuth
        }
        Error::Server(ServerError::RegistryLogin { stderr, .. })
            if stderr.contains("401") || stderr.to_lowercase().contains("unauthorized") =>
        {
            Kind::RegistryAuth
        }
        e if e.is_cancelled() => Kind::Cancelled,
        Error::Preflight { .. } => Kind::Preflight,
        Error::Fix(_) => Kind::FixRefused,
        Error::Release(ReleaseError::Unhealthy(_)) => {
            return AppError {
                diagnosis: e.diagnosis().map(Box::new),
                ..AppError::new(Kind::Unhealthy, message)
            }
        }
        _ => Kind::Other,
    };
    AppError {
        diagnosis: e.diagnosis().map(Box::new),
        ..AppError::new(kind, message)
    }
}

/// The SSH error inside `e`, however deep the core wrapped it.
pub fn ssh_error(e: &Error) -> Option<&SshError> {
    match e {
        Error::Ssh(s)
        | Error::Server(ServerError::Ssh(s))
        | Error::Release(ReleaseError::Server(ServerError::Ssh(s))) => Some(s),
        _ => None,
    }
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        app_error(&e)
    }
}

impl From<ConfigError> for AppError {
    fn from(e: ConfigError) -> Self {
        app_error(&e.into())
    }
}

impl From<SecretsError> for AppError {
    fn from(e: SecretsError) -> Self {
        app_error(&e.into())
    }
}

impl From<DockerError> for AppError {
    fn from(e: DockerError) -> Self {
        app_error(&e.into())
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferry_core::ssh::{KeyOrigin, Unreachable};
    use serde_json::json;
    use std::path::PathBuf;

    fn kind_of(e: Error) -> (Kind, serde_json::Value) {
        let app = app_error(&e);
        assert_eq!(app.message, e.to_string());
        (app.kind, serde_json::to_value(&app).unwrap())
    }

    #[test]
    fn unknown_host_key_carries_the_fingerprint() {
        let (kind, json) = kind_of(Error::Ssh(SshError::UnknownHostKey {
            host: "10.0.0.2:22".into(),
            key_type: "ssh-ed25519".into(),
            fingerprint: "SHA256:new".into(),
        }));
        assert_eq!(kind, Kind::UnknownHostKey);
        assert_eq!(json["kind"], "unknown_host_key");
        assert_eq!(json["fingerprint"], "SHA256:new");
        assert!(json.get("expected").is_none() && json.get("diagnosis").is_none());
    }

    #[test]
    fn host_key_mismatch_carries_both_fingerprints_also_from_deep_inside() {
        let mismatch = SshError::HostKeyMismatch {
            host: "10.0.0.2:22".into(),
            key_type: "ssh-ed25519".into(),
            expected: "SHA256:old".into(),
            actual: "SHA256:new".into(),
            origin: Box::new(KeyOrigin::Pinned),
        };
        let deep = Error::Release(ReleaseError::Server(ServerError::Ssh(mismatch)));
        let (kind, json) = kind_of(deep);
        assert_eq!(kind, Kind::HostKeyMismatch);
        assert_eq!(json["kind"], "host_key_mismatch");
        assert_eq!(json["fingerprint"], "SHA256:new");
        assert_eq!(json["expected"], "SHA256:old");
    }

    #[test]
    fn auth_failed() {
        let (kind, json) = kind_of(Error::Ssh(SshError::AuthFailed {
            user: "deploy".into(),
            host: "10.0.0.2:22".into(),
            tried: vec!["password"],
            accepted: "publickey,password".into(),
            server_closed: false,
        }));
        assert_eq!(
            (kind, &json["kind"]),
            (Kind::AuthFailed, &json!("auth_failed"))
        );
        // The wrong-password card renders this in the UI's language, from the catalog.
        assert_eq!(json["message_id"], "ssh-auth-refused");
        assert_eq!(json["args"]["user"], "deploy");
        assert_eq!(json["args"]["tried"][0]["id"], "ssh-auth-password");
        let (kind, _) = kind_of(Error::Ssh(SshError::KeyNeedsPassphrase {
            path: PathBuf::from("/k"),
        }));
        assert_eq!(kind, Kind::AuthFailed);
    }

    #[test]
    fn unreachable() {
        let (kind, json) = kind_of(Error::Server(ServerError::Ssh(SshError::Unreachable {
            host: "127.0.0.1:1".into(),
            kind: Unreachable::Refused,
            detail: "refused".into(),
        })));
        assert_eq!(
            (kind, &json["kind"]),
            (Kind::Unreachable, &json!("unreachable"))
        );
    }

    #[tokio::test]
    async fn docker_unreachable() {
        // Nothing listens on port 1: a real "Docker is not running" from the core.
        let e = ferry_core::docker::Engine::connect_to("tcp://127.0.0.1:1")
            .await
            .unwrap_err();
        let (kind, json) = kind_of(e.into());
        assert_eq!(
            (kind, &json["kind"]),
            (Kind::DockerUnreachable, &json!("docker_unreachable"))
        );
    }

    #[test]
    fn config() {
        let e = ferry_core::config::Config::parse("[app]\nname = 1\n", "ferry.toml".as_ref())
            .unwrap_err();
        let (kind, json) = kind_of(e.into());
        assert_eq!((kind, &json["kind"]), (Kind::Config, &json!("config")));
        assert!(json["message"]
            .as_str()
            .unwrap()
            .starts_with("ferry.toml:2:"));
    }

    #[test]
    fn registry_auth() {
        let (kind, json) = kind_of(Error::Docker(DockerError::RegistryAuth {
            server: "reg:5000".into(),
            user: "deploy".into(),
        }));
        assert_eq!(
            (kind, &json["kind"]),
            (Kind::RegistryAuth, &json!("registry_auth"))
        );
        let (kind, _) = kind_of(Error::MissingRegistryPassword {
            server: "reg:5000".into(),
            user: "deploy".into(),
            entry: "registry/reg:5000/deploy".into(),
        });
        assert_eq!(kind, Kind::RegistryAuth);
    }

    #[test]
    fn cancelled() {
        let (kind, json) = kind_of(Error::Cancelled);
        assert_eq!(
            (kind, &json["kind"]),
            (Kind::Cancelled, &json!("cancelled"))
        );
    }

    #[test]
    fn unhealthy_carries_the_diagnosis() {
        let diagnosis = Diagnosis {
            summary: ferry_core::msg!(
                "diagnosis-stopped",
                code = ferry_core::msg!("diagnosis-exit-code", code = 2)
            ),
            exit_code: Some(2),
            log_tail: vec!["panic: boom".into()],
            restored_previous: Some("20261125-010203".into()),
            ..Default::default()
        };
        let (kind, json) = kind_of(Error::Release(ReleaseError::Unhealthy(Box::new(
            diagnosis.clone(),
        ))));
        assert_eq!(kind, Kind::Unhealthy);
        assert_eq!(json["kind"], "unhealthy");
        assert_eq!(json["diagnosis"], serde_json::to_value(&diagnosis).unwrap());
    }

    #[test]
    fn everything_else_is_other() {
        let (kind, json) = kind_of(Error::Other("something odd".into()));
        assert_eq!((kind, &json["kind"]), (Kind::Other, &json!("other")));
        assert_eq!(json["message"], "something odd");
    }
}
