//! An error that stopped `doctor` from connecting to or probing the server, as a finding.

use crate::adapters::server::ServerError;
use crate::adapters::ssh::SshError;
use crate::doctor::finding::Finding;
use crate::msg;
use crate::Error;

/// The finding for an error that stopped `doctor` from connecting to or probing the server.
pub fn connect_failure(e: &Error) -> Finding {
    use SshError as S;
    let (id, fix) = match e {
        Error::Ssh(S::AuthFailed { .. })
        | Error::Ssh(S::KeyFileMissing { .. })
        | Error::Ssh(S::KeyNeedsPassphrase { .. })
        | Error::Ssh(S::KeyUnreadable { .. }) => {
            ("server.auth_failed", msg!("check-server-auth_failed-fix"))
        }
        Error::Ssh(S::UnknownHostKey { fingerprint, .. }) => (
            "server.host_key",
            msg!(
                "check-server-host_key-unknown-fix",
                fingerprint = fingerprint
            ),
        ),
        Error::Ssh(S::HostKeyMismatch { .. })
        | Error::Ssh(S::HostKeyRevoked { .. })
        | Error::Ssh(S::InvalidFingerprint { .. }) => {
            ("server.host_key", msg!("check-server-host_key-changed-fix"))
        }
        Error::Server(ServerError::DockerMissing { .. }) => {
            ("server.docker_missing", msg!("check-docker-install"))
        }
        Error::Server(ServerError::DockerNotRunning { .. }) => (
            "server.docker_not_running",
            msg!("check-server-docker_not_running-fix"),
        ),
        Error::Server(ServerError::DockerDenied { user }) => (
            "server.docker_denied",
            msg!("check-server-docker_denied-fix", user = user),
        ),
        _ => ("server.unreachable", msg!("check-server-unreachable-fix")),
    };
    // The error itself says what happened, in the user's language.
    Finding::error(id, e.message()).fix(fix)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Lang;

    use crate::doctor::Severity;

    #[test]
    fn connection_errors_map_to_their_ids_and_fixes() {
        let auth = Error::Ssh(SshError::AuthFailed {
            user: "deployer".into(),
            host: "203.0.113.10:22".into(),
            tried: vec!["identity file"],
            accepted: "publickey".into(),
            server_closed: false,
        });
        let f = connect_failure(&auth);
        assert_eq!(
            (f.id.as_str(), f.severity),
            ("server.auth_failed", Severity::Error)
        );
        assert!(f
            .fix
            .unwrap()
            .render(Lang::En)
            .contains("ferry secret set ssh/"));

        let unknown = Error::Ssh(SshError::UnknownHostKey {
            host: "203.0.113.10:22".into(),
            key_type: "ssh-ed25519".into(),
            fingerprint: "SHA256:abc".into(),
        });
        let f = connect_failure(&unknown);
        assert_eq!(f.id, "server.host_key");
        assert!(f
            .fix
            .unwrap()
            .render(Lang::En)
            .contains("host_key = \"SHA256:abc\""));

        let denied = Error::Server(ServerError::DockerDenied {
            user: "deployer".into(),
        });
        let f = connect_failure(&denied);
        assert_eq!(f.id, "server.docker_denied");
        let fix = f.fix.unwrap();
        assert!(
            fix.render(Lang::En)
                .contains("sudo usermod -aG docker deployer"),
            "{}",
            fix.render(Lang::En)
        );
        assert!(fix.render(Lang::En).contains("passwordless sudo"));

        let cases = [
            (
                Error::Server(ServerError::DockerMissing { host: "h".into() }),
                "server.docker_missing",
            ),
            (
                Error::Server(ServerError::DockerNotRunning {
                    host: "h".into(),
                    detail: "Cannot connect to the Docker daemon".into(),
                }),
                "server.docker_not_running",
            ),
            (
                Error::Ssh(SshError::Unreachable {
                    host: "203.0.113.10:22".into(),
                    kind: crate::adapters::ssh::Unreachable::Refused,
                    detail: "connection refused".into(),
                }),
                "server.unreachable",
            ),
        ];
        for (e, id) in cases {
            let f = connect_failure(&e);
            assert_eq!((f.id.as_str(), f.severity), (id, Severity::Error));
            assert_eq!(f.message.render(Lang::En), e.to_string());
            assert!(!f.message.render(Lang::Zh).is_empty() && f.fix.is_some());
        }
    }
}
