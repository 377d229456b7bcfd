//! Pulling from a private registry on the server. One script logs the server's docker in with
//! a private client config in memory (`/dev/shm` is a tmpfs), pulls, and removes the config
//! however it ends (an exit, a signal, or a broken pipe once Ferry is gone).
//!
//! The config it writes names this registry's credential helper as none: without that, the
//! docker CLI picks a platform helper it finds on PATH (`docker-credential-pass`,
//! `-secretservice`) and hands it the password to store.

use super::{Cmd, Deadline, DockerCli};
use crate::adapters::secret::Secret;
use std::time::Duration;

/// The login failed; stderr says why.
pub const LOGIN_FAILED: i32 = 71;
/// The pull failed; stderr says why.
pub const PULL_FAILED: i32 = 72;
/// No private directory could be made.
pub const NO_PRIVATE_DIR: i32 = 70;

/// `$1` sudo|plain, `$2` registry, `$3` user, `$4` image; the password on stdin.
const LOGIN_AND_PULL: &str = r#"set -u
find /dev/shm -maxdepth 1 -name 'ferry.*' -user "$(id -u)" -mmin +60 -exec rm -rf {} + 2>/dev/null
d=$(mktemp -d /dev/shm/ferry.XXXXXXXX) || exit 70
trap 'rm -rf "$d"' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 141' PIPE
printf '{"auths":{},"credHelpers":{"%s":""}}\n' "$2" >"$d/config.json" || exit 70
if [ "$1" = sudo ]; then
  cli() { sudo -n env "DOCKER_CONFIG=$d" docker "$@"; }
else
  cli() { env "DOCKER_CONFIG=$d" docker "$@"; }
fi
cli login --username "$3" --password-stdin "$2" >&2 || exit 71
cli pull "$4" || exit 72
"#;

/// Logs in to `server` as `username` and pulls `image`, with the password on stdin.
pub fn login_and_pull(
    docker: DockerCli,
    server: &str,
    username: &str,
    password: Secret,
    image: &str,
) -> Cmd {
    let mode = if docker.sudo { "sudo" } else { "plain" };
    Cmd::script(LOGIN_AND_PULL, [mode, server, username, image])
        .with_stdin(password)
        .with_deadline(Deadline::Idle(Duration::from_secs(120)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_and_pull_passes_values_as_arguments_and_the_password_on_stdin() {
        let cmd = login_and_pull(
            DockerCli::default(),
            "reg:5000",
            "deploy",
            Secret::new("s3cret"),
            "reg:5000/team/hello:1",
        );
        assert_eq!(&cmd.argv[..2], &["sh", "-c"]);
        assert_eq!(
            &cmd.argv[3..],
            &["sh", "plain", "reg:5000", "deploy", "reg:5000/team/hello:1"]
        );
        assert!(!cmd.shell().contains("s3cret"));
        assert!(!cmd.wire().contains("s3cret"));
        assert_eq!(cmd.stdin_prelude(), b"s3cret");
        let sudo = login_and_pull(
            DockerCli { sudo: true },
            "r",
            "u",
            Secret::new("p"),
            "r/i:1",
        );
        assert_eq!(sudo.argv[4], "sudo");
    }
}
