//! Explains why a new release did not become healthy, in words a user can act on.

use crate::events::Diagnosis;
use crate::server::ContainerState;

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

/// Builds the diagnosis from what failed, the container's last state and its last log lines.
pub fn diagnose(
    failure: &GateFailure,
    state: Option<&ContainerState>,
    log_tail: Vec<String>,
) -> Diagnosis {
    let exit_code = state.filter(|s| !s.running).map(|s| s.exit_code);
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
    let (summary, hint) = explain(failure, exit_code, oom_killed, &text);
    Diagnosis {
        summary,
        hint,
        exit_code,
        oom_killed,
        log_tail,
        restored_previous: None,
    }
}

fn explain(
    failure: &GateFailure,
    exit_code: Option<i64>,
    oom_killed: bool,
    text: &str,
) -> (String, Option<String>) {
    let code = exit_code
        .map(|c| format!(" with exit code {c}"))
        .unwrap_or_default();
    let what = match failure {
        GateFailure::StartFailed { .. } => "the new container could not start".to_string(),
        GateFailure::Exited => format!("the new container stopped{code}"),
        GateFailure::RestartLoop => format!("the new container keeps restarting{code}"),
        GateFailure::Timeout {
            last_answer,
            timeout_secs,
        } => format!(
            "the health check did not pass within {timeout_secs} s (last answer: {last_answer})"
        ),
    };
    let hint = if text.contains("exec format error") {
        Some(
            "the image was built for another CPU architecture than the server's: set \
             platform = \"auto\" (or the server's arch) under [app] in ferry.toml"
                .to_string(),
        )
    } else if oom_killed || exit_code == Some(137) {
        Some(
            "the container was killed for using more memory than its limit (OOMKilled): raise \
             `memory` under [container] in ferry.toml, or find what uses the memory"
                .to_string(),
        )
    } else if exit_code == Some(139) {
        Some(
            "the program crashed with a segmentation fault (exit 139): often a CGO binary on a \
              runtime image without the C library it was linked against; build with CGO_ENABLED=0"
                .to_string(),
        )
    } else if text.contains("address already in use") || text.contains("port is already allocated")
    {
        Some(
            "the port is already taken on the server: stop what uses it, or publish another \
             port in `ports` under [container]"
                .to_string(),
        )
    } else if text.contains("permission denied") {
        Some(
            "the program was refused access to a file: on a volume this is usually SELinux (add \
             `:Z` to the volume) or the folder's owner on the server (the app runs as uid 65532)"
                .to_string(),
        )
    } else if text.contains("no such file or directory") {
        Some(
            "a file the container starts with is missing, or a script has Windows (CRLF) line \
             endings or an interpreter the image lacks"
                .to_string(),
        )
    } else {
        match failure {
            GateFailure::Timeout { .. } => Some(
                "check that the app listens on 0.0.0.0 (not 127.0.0.1) at the container port and \
                 answers the health path, or raise timeout_secs under [health]"
                    .to_string(),
            ),
            _ => Some("read the container's last log lines below".to_string()),
        }
    };
    (what, hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(exit_code: i64, oom: bool) -> ContainerState {
        ContainerState {
            exit_code,
            oom_killed: oom,
            ..Default::default()
        }
    }

    #[test]
    fn oom_kill_is_named() {
        let d = diagnose(&GateFailure::Exited, Some(&state(137, true)), vec![]);
        assert_eq!(d.summary, "the new container stopped with exit code 137");
        assert!(d.hint.unwrap().contains("OOMKilled"));
        assert!(d.oom_killed);
    }

    #[test]
    fn exec_format_error_points_at_the_architecture() {
        let d = diagnose(
            &GateFailure::RestartLoop,
            Some(&state(1, false)),
            vec!["exec /app: exec format error".into()],
        );
        assert!(d.summary.contains("keeps restarting"));
        assert!(d.hint.unwrap().contains("architecture"));
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
            d.summary,
            "the health check did not pass within 30 s (last answer: HTTP 503)"
        );
        assert!(d.hint.unwrap().contains("0.0.0.0"));
    }
}
