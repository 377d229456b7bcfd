//! Explains a failure in words a user can act on, in English and Chinese: why a new release did
//! not become healthy (from its exit code, OOM flag and last log lines), and why a push or pull
//! was refused by the registry.

use crate::catalog::Msg;
use crate::events::Diagnosis;
use crate::msg;

/// How the health gate ended for a release that did not pass it.
#[derive(Debug, Clone, PartialEq)]
pub enum GateFailure {
    /// `docker run` itself failed (the container never started).
    StartFailed { stderr: String },
    /// The container stopped.
    Exited,
    /// The container keeps restarting.
    RestartLoop,
    /// The container runs but its health check never passed in time.
    Timeout {
        last_answer: String,
        timeout_secs: u64,
    },
}

/// A recognised cause: a stable id and the catalog id of what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cause {
    pub id: &'static str,
    pub hint: &'static str,
}

impl Cause {
    pub fn hint(&self) -> Msg {
        Msg::new(self.hint)
    }
}

pub const EXEC_FORMAT: Cause = Cause {
    id: "exec_format",
    hint: "cause-exec-format",
};
const OOM: Cause = Cause {
    id: "oom_killed",
    hint: "cause-oom-killed",
};
const SEGFAULT: Cause = Cause {
    id: "segfault",
    hint: "cause-segfault",
};
const ADDRESS_IN_USE: Cause = Cause {
    id: "address_in_use",
    hint: "cause-address-in-use",
};
const PERMISSION_DENIED: Cause = Cause {
    id: "permission_denied",
    hint: "cause-permission-denied",
};
const NO_SUCH_FILE: Cause = Cause {
    id: "no_such_file",
    hint: "cause-no-such-file",
};
pub const REGISTRY_CA: Cause = Cause {
    id: "registry_ca",
    hint: "cause-registry-ca",
};
pub const REGISTRY_UNAUTHORIZED: Cause = Cause {
    id: "registry_unauthorized",
    hint: "cause-registry-unauthorized",
};
const REGISTRY_DENIED: Cause = Cause {
    id: "registry_denied",
    hint: "cause-registry-denied",
};
const REGISTRY_NOT_FOUND: Cause = Cause {
    id: "registry_not_found",
    hint: "cause-registry-not-found",
};
pub const DISK_FULL: Cause = Cause {
    id: "disk_full",
    hint: "cause-disk-full",
};
const RESTART_LOOP: Cause = Cause {
    id: "restart_loop",
    hint: "cause-restart-loop",
};
const HEALTH_TIMEOUT: Cause = Cause {
    id: "health_timeout",
    hint: "cause-health-timeout",
};
const CRASHED: Cause = Cause {
    id: "crashed",
    hint: "cause-crashed",
};

/// What a failure's text and exit status say, most specific first.
pub fn recognise(text: &str, exit_code: Option<i64>, oom_killed: bool) -> Option<Cause> {
    let t = text.to_ascii_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| t.contains(n));
    let cause = if has(&["exec format error"]) {
        EXEC_FORMAT
    } else if oom_killed || exit_code == Some(137) {
        OOM
    } else if exit_code == Some(139) || has(&["segmentation fault", "sigsegv"]) {
        SEGFAULT
    } else if has(&["no space left on device"]) {
        DISK_FULL
    } else if has(&["address already in use", "port is already allocated"]) {
        ADDRESS_IN_USE
    } else if has(&["x509:", "certificate signed by unknown authority"]) {
        REGISTRY_CA
    } else if has(&[
        "401 unauthorized",
        "unauthorized:",
        "authentication required",
        "no basic auth credentials",
        "incorrect username or password",
    ]) {
        REGISTRY_UNAUTHORIZED
    } else if has(&[
        "403 forbidden",
        "denied: ",
        "access to the resource is denied",
    ]) {
        REGISTRY_DENIED
    } else if has(&[
        "manifest unknown",
        "name unknown",
        "repository does not exist",
        "404 not found",
    ]) {
        REGISTRY_NOT_FOUND
    } else if has(&["permission denied"]) {
        PERMISSION_DENIED
    } else if has(&["no such file or directory"])
        || (exit_code == Some(127) && has(&[": not found"]))
    {
        NO_SUCH_FILE
    } else {
        return None;
    };
    Some(cause)
}

/// Why the local engine could not talk to a registry (a push, a login), from its message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistryProblem {
    /// Its certificate is not trusted, or it does not speak TLS.
    Tls,
    /// It refused the user name or password.
    Credentials,
    /// No connection to it.
    Unreachable,
}

pub fn registry_problem(message: &str) -> Option<RegistryProblem> {
    let m = message.to_ascii_lowercase();
    let any = |needles: &[&str]| needles.iter().any(|n| m.contains(n));
    if any(&[
        "x509",
        "certificate",
        "tls:",
        "http response to https client",
    ]) {
        Some(RegistryProblem::Tls)
    } else if any(&[
        "unauthorized",
        "authentication required",
        "no basic auth credentials",
        "incorrect username or password",
        "access to the resource is denied",
    ]) {
        Some(RegistryProblem::Credentials)
    } else if any(&[
        "connection refused",
        "no route to host",
        "i/o timeout",
        "no such host",
        "network is unreachable",
        "connection reset",
        "server misbehaving",
        "dial tcp",
    ]) {
        Some(RegistryProblem::Unreachable)
    } else {
        None
    }
}

/// What a command's error output says, for failures that have no exit code of a container.
pub fn stderr_cause(stderr: &str) -> Option<Cause> {
    recognise(stderr, None, false)
}

/// What the engine last said of a container (its `State`), for the diagnosis.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LastState {
    pub running: bool,
    pub exit_code: i64,
    pub oom_killed: bool,
    /// The engine's own error for it, if any.
    pub error: String,
}

/// Builds the diagnosis from what failed, the container's last state and its last log lines.
pub fn diagnose(
    failure: &GateFailure,
    state: Option<&LastState>,
    log_tail: Vec<String>,
) -> Diagnosis {
    // A restarting container counts as running; its last exit code still says why.
    let exit_code = state
        .filter(|s| !s.running || s.exit_code != 0)
        .map(|s| s.exit_code);
    let oom_killed = state.is_some_and(|s| s.oom_killed);
    let text = {
        let mut t = log_tail.join("\n");
        if let GateFailure::StartFailed { stderr } = failure {
            t.push('\n');
            t.push_str(stderr);
        }
        if let Some(s) = state {
            t.push('\n');
            t.push_str(&s.error);
        }
        t
    };
    let cause = recognise(&text, exit_code, oom_killed).unwrap_or(match failure {
        GateFailure::Timeout { .. } => HEALTH_TIMEOUT,
        GateFailure::RestartLoop => RESTART_LOOP,
        _ => CRASHED,
    });
    Diagnosis {
        summary: what_failed(failure, exit_code),
        hint: Some(cause.hint()),
        exit_code,
        oom_killed,
        log_tail,
        restored_previous: None,
        previous_untouched: false,
        cause: Some(cause.id.to_string()),
    }
}

fn what_failed(failure: &GateFailure, exit_code: Option<i64>) -> Msg {
    let code = match exit_code {
        Some(c) => msg!("diagnosis-exit-code", code = c),
        None => msg!("empty"),
    };
    match failure {
        GateFailure::StartFailed { .. } => msg!("diagnosis-could-not-start"),
        GateFailure::Exited => msg!("diagnosis-stopped", code = code),
        GateFailure::RestartLoop => msg!("diagnosis-restarting", code = code),
        GateFailure::Timeout {
            last_answer,
            timeout_secs,
        } => msg!(
            "diagnosis-health-timeout",
            secs = *timeout_secs,
            answer = last_answer
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    fn explain(e: &Error) -> Option<Diagnosis> {
        e.diagnosis()
    }
    use crate::catalog::Lang;

    use crate::adapters::server::ServerError;

    fn state(exit_code: i64, oom: bool) -> LastState {
        LastState {
            exit_code,
            oom_killed: oom,
            ..Default::default()
        }
    }

    #[test]
    fn oom_kill_is_named() {
        let d = diagnose(&GateFailure::Exited, Some(&state(137, true)), vec![]);
        assert_eq!(
            d.summary.render(Lang::En),
            "the new container stopped with exit code 137"
        );
        assert_eq!(d.summary.render(Lang::Zh), "新容器停止了（退出码 137）");
        assert_eq!(d.cause.as_deref(), Some("oom_killed"));
        let hint = d.hint.unwrap();
        assert!(hint.render(Lang::En).contains("OOMKilled"));
        assert!(hint.render(Lang::Zh).contains("memory"));
        assert!(d.oom_killed);
    }

    #[test]
    fn exec_format_error_points_at_the_architecture() {
        let d = diagnose(
            &GateFailure::RestartLoop,
            Some(&state(1, false)),
            vec!["exec /app: exec format error".into()],
        );
        assert!(d.summary.render(Lang::En).contains("keeps restarting"));
        assert_eq!(d.cause.as_deref(), Some("exec_format"));
        assert!(d.hint.unwrap().render(Lang::En).contains("architecture"));
    }

    #[test]
    fn a_timeout_says_what_answered() {
        let d = diagnose(
            &GateFailure::Timeout {
                last_answer: "HTTP 503".into(),
                timeout_secs: 30,
            },
            None,
            vec![],
        );
        assert_eq!(
            d.summary.render(Lang::En),
            "the health check did not pass within 30 s (last answer: HTTP 503)"
        );
        assert_eq!(d.cause.as_deref(), Some("health_timeout"));
        assert!(d.hint.unwrap().render(Lang::En).contains("0.0.0.0"));
    }

    #[test]
    fn each_known_text_has_its_cause() {
        let cases: &[(&str, Option<i64>, bool, &str)] = &[
            ("standard_init_linux.go:228: exec user process caused: exec format error", Some(1), false, "exec_format"),
            ("", Some(137), false, "oom_killed"),
            ("", Some(139), false, "segfault"),
            ("listen tcp :8080: bind: address already in use", Some(1), false, "address_in_use"),
            ("Error response from daemon: driver failed programming external connectivity: Bind for 0.0.0.0:8080 failed: port is already allocated", None, false, "address_in_use"),
            ("open /data/app.db: permission denied", Some(1), false, "permission_denied"),
            ("exec /entrypoint.sh: no such file or directory", Some(1), false, "no_such_file"),
            ("/bin/sh: ./run.sh: not found", Some(127), false, "no_such_file"),
            ("Get \"https://reg:5443/v2/\": x509: certificate signed by unknown authority", None, false, "registry_ca"),
            ("Error response from daemon: Head \"https://reg/v2/app/manifests/1\": unauthorized: authentication required", None, false, "registry_unauthorized"),
            ("write /var/lib/docker/tmp/x: no space left on device", None, false, "disk_full"),
            ("denied: requested access to the resource is denied", None, false, "registry_denied"),
            ("Error response from daemon: manifest for reg/app:1 not found: manifest unknown: manifest unknown", None, false, "registry_not_found"),
        ];
        for (text, code, oom, want) in cases {
            let got = recognise(text, *code, *oom).map(|c| c.id);
            assert_eq!(got, Some(*want), "{text}");
        }
        assert_eq!(recognise("listening on :8080", Some(0), false), None);
        assert_eq!(recognise("panic: boom", Some(2), false), None);
    }

    #[test]
    fn a_pull_refused_on_the_server_is_explained() {
        let e = Error::Server(ServerError::Command {
            command: "docker pull reg:5443/app:1".into(),
            status: 1,
            stderr: "Error response from daemon: Get \"https://reg:5443/v2/\": x509: certificate signed by unknown authority".into(),
        });
        let d = explain(&e).unwrap();
        assert_eq!(d.cause.as_deref(), Some("registry_ca"));
        assert_eq!(
            d.summary.render(Lang::En),
            "the server could not pull the image from the registry"
        );
        assert!(d
            .hint
            .unwrap()
            .render(Lang::En)
            .contains("/etc/docker/certs.d/"));
        let other = Error::Server(ServerError::Command {
            command: "docker ps".into(),
            status: 1,
            stderr: "x509: certificate signed by unknown authority".into(),
        });
        assert!(explain(&other).is_none());
    }

    #[test]
    fn server_side_login_pull_and_load_failures_are_explained_however_deep() {
        use crate::flows::release::ReleaseError;
        let login = ServerError::RegistryLogin {
            registry: "reg:5443".into(),
            user: "deploy".into(),
            stderr: "Error response from daemon: login attempt to https://reg:5443/v2/ failed \
                     with status: 401 Unauthorized"
                .into(),
        };
        assert!(crate::error::registry_refused_login(&login));
        let e = Error::Release(ReleaseError::Server(login));
        let d = explain(&e).unwrap();
        assert_eq!(d.cause.as_deref(), Some("registry_unauthorized"));
        assert_eq!(
            d.summary.render(Lang::En),
            "the server could not log in to the registry"
        );
        assert_eq!(e.kind(), crate::error::ErrorKind::RegistryAuth);

        let pull = Error::Server(ServerError::Pull {
            image: "reg:5443/app:1".into(),
            stderr: "x509: certificate signed by unknown authority".into(),
        });
        assert_eq!(
            explain(&pull).unwrap().cause.as_deref(),
            Some("registry_ca")
        );
        assert_eq!(pull.kind(), crate::error::ErrorKind::Other);

        let load = Error::Server(ServerError::Load {
            stderr: "write /var/lib/docker/tmp/x: no space left on device".into(),
        });
        let d = explain(&load).unwrap();
        assert_eq!(d.cause.as_deref(), Some("disk_full"));
        assert!(d.hint.unwrap().render(Lang::Zh).contains("磁盘"));
    }
}
