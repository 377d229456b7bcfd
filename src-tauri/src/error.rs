//! `AppError`: what a command rejects with (docs/app-api.md, "Errors"). It is ferry-core's
//! error [`Report`](ferry_core::error::Report): the kind, fingerprints and diagnosis are
//! decided in the core (`Error::kind()`...), this shell only serializes them.

pub use ferry_core::error::{ErrorKind as Kind, Report as AppError};
use ferry_core::Error;

/// The one mapping from a ferry-core error to what the UI gets.
pub fn app_error(e: &Error) -> AppError {
    AppError::from(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferry_core::adapters::docker::DockerError;
    use ferry_core::adapters::server::ServerError;
    use ferry_core::adapters::ssh::{KeyOrigin, SshError, Unreachable};
    use ferry_core::events::Diagnosis;
    use ferry_core::flows::lock::LockError;
    use ferry_core::flows::release::ReleaseError;
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
        let e = ferry_core::adapters::docker::Engine::connect_to("tcp://127.0.0.1:1")
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
        let e =
            ferry_core::formats::config::Config::parse("[app]\nname = 1\n", "ferry.toml".as_ref())
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
        let (kind, json) = kind_of(Error::Said(ferry_core::msg!(
            "as-is",
            text = "something odd"
        )));
        assert_eq!((kind, &json["kind"]), (Kind::Other, &json!("other")));
        assert_eq!(json["message"], "something odd");
    }

    #[test]
    fn an_ssh_error_inside_the_lock_is_found() {
        let lost = SshError::Disconnected {
            host: "10.0.0.2:22".into(),
            action: ferry_core::msg!("ssh-action-run", command = "refresh"),
            detail: "broken pipe".into(),
        };
        let (kind, _) = kind_of(Error::Lock(LockError::Server(ServerError::Ssh(lost))));
        assert_eq!(kind, Kind::Unreachable);
        let (kind, json) = kind_of(Error::Lock(LockError::Held {
            app: "hello".into(),
            holder: ferry_core::msg!("lock-holder-another"),
            age: 3,
        }));
        assert_eq!((kind, &json["kind"]), (Kind::Lock, &json!("lock")));
    }

    #[test]
    fn a_registry_refusing_the_servers_login_is_registry_auth_with_a_diagnosis() {
        let (kind, json) = kind_of(Error::Server(ServerError::RegistryLogin {
            registry: "reg:5443".into(),
            user: "deploy".into(),
            stderr: "Error response from daemon: Get \"https://reg:5443/v2/\": unauthorized: \
                     incorrect username or password"
                .into(),
        }));
        assert_eq!(kind, Kind::RegistryAuth);
        assert_eq!(json["diagnosis"]["cause"], "registry_unauthorized");
    }
}
