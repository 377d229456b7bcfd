//! Explains a failure in words a user can act on, in English and Chinese: why a new release did
//! not become healthy (from its exit code, OOM flag and last log lines), and why a push or pull
//! was refused by the registry.

use crate::docker::DockerError;
use crate::events::Diagnosis;
use crate::server::{ContainerState, ServerError};
use crate::Error;

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

/// A recognised cause: a stable id and what to do, in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cause {
    pub id: &'static str,
    pub hint_en: &'static str,
    pub hint_zh: &'static str,
}

const EXEC_FORMAT: Cause = Cause {
    id: "exec_format",
    hint_en: "the image was built for another CPU architecture than the server's (\"exec format \
              error\"): set platform = \"auto\" (or the server's arch) under [app] in ferry.toml, \
              and do not hard-code GOARCH in the Dockerfile or build scripts",
    hint_zh: "镜像的 CPU 架构与服务器不同（\"exec format error\"）：在 ferry.toml 的 [app] 中设置 \
              platform = \"auto\"（或服务器的架构），不要在 Dockerfile 或构建脚本里写死 GOARCH",
};
const OOM: Cause = Cause {
    id: "oom_killed",
    hint_en: "the kernel killed the container for using more memory than its limit (OOMKilled, \
              exit 137): raise `memory` under [container] in ferry.toml, or find what uses the \
              memory",
    hint_zh: "容器使用的内存超过了限制，被内核杀掉（OOMKilled，退出码 137）：调大 ferry.toml 中 \
              [container] 的 memory，或查明是什么占用了内存",
};
const SEGFAULT: Cause = Cause {
    id: "segfault",
    hint_en: "the program crashed with a segmentation fault (exit 139): often a CGO binary on a \
              runtime image without the C library it was linked against; build with \
              CGO_ENABLED=0",
    hint_zh:
        "程序因段错误崩溃（退出码 139）：常见原因是开启 CGO 编译的程序运行在缺少对应 C 库的镜像上；\
              请用 CGO_ENABLED=0 构建",
};
const ADDRESS_IN_USE: Cause = Cause {
    id: "address_in_use",
    hint_en: "the port is already taken on the server: stop what uses it (`ss -ltnp` shows it), \
              or publish another port in `ports` under [container]",
    hint_zh:
        "服务器上的端口已被占用：停掉占用它的程序（`ss -ltnp` 可查看），或在 [container] 的 ports \
              中换一个端口",
};
const PERMISSION_DENIED: Cause = Cause {
    id: "permission_denied",
    hint_en: "the program was refused access to a file: on a volume this is usually SELinux (add \
              `:Z` to the volume in ferry.toml) or the folder's owner on the server (the app runs \
              as uid 65532: `sudo chown -R 65532:65532 DIR`)",
    hint_zh: "程序访问文件被拒绝：挂载卷上通常是 SELinux 所致（在 ferry.toml 的卷后加 `:Z`），\
              或服务器上目录的属主不对（应用以 uid 65532 运行：`sudo chown -R 65532:65532 目录`）",
};
const NO_SUCH_FILE: Cause = Cause {
    id: "no_such_file",
    hint_en: "a file the container starts with was not found: a script with Windows (CRLF) line \
              endings (its interpreter becomes `/bin/sh\\r`), an interpreter the image lacks \
              (bash on alpine or scratch), or a CGO binary on scratch/alpine (build with \
              CGO_ENABLED=0)",
    hint_zh: "容器启动时找不到文件：脚本是 Windows（CRLF）换行（解释器变成了 `/bin/sh\\r`）、镜像里没有\
              所需的解释器（alpine 或 scratch 中没有 bash），或开启 CGO 的程序运行在 scratch/alpine 上\
              （请用 CGO_ENABLED=0 构建）",
};
pub const REGISTRY_CA: Cause = Cause {
    id: "registry_ca",
    hint_en: "Docker does not trust the registry's TLS certificate (\"x509: certificate signed by \
              unknown authority\"): put the CA certificate that signed it in \
              /etc/docker/certs.d/REGISTRY/ca.crt on the machine that failed (the server for a \
              pull; Docker Desktop's certs.d for a push) and retry",
    hint_zh:
        "Docker 不信任镜像仓库的 TLS 证书（\"x509: certificate signed by unknown authority\"）：\
              把签发它的 CA 证书放到出错那台机器的 /etc/docker/certs.d/仓库地址/ca.crt\
              （拉取失败是服务器，推送失败是本机 Docker Desktop），然后重试",
};
pub const REGISTRY_UNAUTHORIZED: Cause = Cause {
    id: "registry_unauthorized",
    hint_en: "the registry refused the login (401): check the user name in [registry] and save \
              the right password with `ferry secret set registry/SERVER/USER` (Aliyun ACR: the \
              registry password set in the console, not the Aliyun account password)",
    hint_zh: "镜像仓库拒绝登录（401）：检查 [registry] 中的用户名，并用 `ferry secret set \
              registry/仓库地址/用户名` 保存正确的密码（阿里云 ACR 用的是控制台里设置的仓库密码，\
              不是阿里云账号密码）",
};
const REGISTRY_DENIED: Cause = Cause {
    id: "registry_denied",
    hint_en: "the registry accepted the login but denied access to the repository (403): create \
              the repository (or namespace) first, or give this user push/pull rights to it",
    hint_zh: "镜像仓库接受了登录，但拒绝访问该仓库（403）：先创建仓库（或命名空间），或给该用户推送/拉取权限",
};
const REGISTRY_NOT_FOUND: Cause = Cause {
    id: "registry_not_found",
    hint_en: "the registry has no such image or repository (404): check `repository` under \
              [registry]; the push may have gone to another name",
    hint_zh:
        "镜像仓库中没有这个镜像或仓库（404）：检查 [registry] 中的 repository；推送可能用了别的名字",
};
pub const DISK_FULL: Cause = Cause {
    id: "disk_full",
    hint_en: "the server's disk is full: free some space (`docker image prune -a` removes images \
              no container uses; `df -h /var/lib/docker` shows how full it is) and try again",
    hint_zh: "服务器磁盘已满：先释放一些空间（`docker image prune -a` 删除没有容器使用的镜像；\
              `df -h /var/lib/docker` 查看占用情况），然后重试",
};
const RESTART_LOOP: Cause = Cause {
    id: "restart_loop",
    hint_en: "the container exits soon after each start and Docker keeps restarting it: read its \
              last log lines below for the first error",
    hint_zh: "容器每次启动后很快退出，Docker 不断重启它：请看下面最后几行日志中的第一个错误",
};
const HEALTH_TIMEOUT: Cause = Cause {
    id: "health_timeout",
    hint_en: "check that the app listens on 0.0.0.0 (not 127.0.0.1) at the container port and \
              answers the health path, or raise timeout_secs under [health]",
    hint_zh: "检查应用是否在容器端口上监听 0.0.0.0（而不是 127.0.0.1）并能响应健康检查路径，\
              或调大 [health] 的 timeout_secs",
};
const CRASHED: Cause = Cause {
    id: "crashed",
    hint_en: "read the container's last log lines below",
    hint_zh: "请看下面容器最后几行日志",
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

/// Whether the registry refused the server's `docker login` or `docker pull` for its
/// credentials (a 401), as opposed to a TLS or network problem.
pub fn registry_refused_login(e: &ServerError) -> bool {
    match e {
        ServerError::RegistryLogin { stderr, .. } | ServerError::Pull { stderr, .. } => {
            stderr_cause(stderr) == Some(REGISTRY_UNAUTHORIZED)
        }
        _ => false,
    }
}

/// Builds the diagnosis from what failed, the container's last state and its last log lines.
pub fn diagnose(
    failure: &GateFailure,
    state: Option<&ContainerState>,
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
    let (summary, summary_zh) = what_failed(failure, exit_code);
    Diagnosis {
        summary,
        hint: Some(cause.hint_en.to_string()),
        exit_code,
        oom_killed,
        log_tail,
        restored_previous: None,
        previous_untouched: false,
        cause: Some(cause.id.to_string()),
        summary_zh,
        hint_zh: Some(cause.hint_zh.to_string()),
    }
}

fn what_failed(failure: &GateFailure, exit_code: Option<i64>) -> (String, String) {
    let (code, code_zh) = exit_code
        .map(|c| (format!(" with exit code {c}"), format!("（退出码 {c}）")))
        .unwrap_or_default();
    match failure {
        GateFailure::StartFailed { .. } => (
            "the new container could not start".to_string(),
            "新容器无法启动".to_string(),
        ),
        GateFailure::Exited => (
            format!("the new container stopped{code}"),
            format!("新容器停止了{code_zh}"),
        ),
        GateFailure::RestartLoop => (
            format!("the new container keeps restarting{code}"),
            format!("新容器不断重启{code_zh}"),
        ),
        GateFailure::Timeout {
            last_answer,
            timeout_secs,
        } => (
            format!(
                "the health check did not pass within {timeout_secs} s (last answer: {last_answer})"
            ),
            format!("健康检查在 {timeout_secs} 秒内没有通过（最后的响应：{last_answer}）"),
        ),
    }
}

/// A diagnosis for a failure before any release started: the registry refusing a push (on
/// this machine) or a pull (on the server). `None` when the failure is not one of those.
pub fn explain_error(e: &Error) -> Option<Diagnosis> {
    let pull = || {
        (
            "the server could not pull the image from the registry".to_string(),
            "服务器无法从镜像仓库拉取镜像".to_string(),
        )
    };
    let ((summary, summary_zh), text) = match (e, e.server()) {
        (
            Error::Docker(
                d @ (DockerError::RegistryTls { .. }
                | DockerError::RegistryAuth { .. }
                | DockerError::PushFailed { .. }),
            ),
            _,
        ) => (
            (
                "the registry refused the push".to_string(),
                "镜像仓库拒绝了推送".to_string(),
            ),
            registry_text(d),
        ),
        (_, Some(ServerError::Pull { stderr, .. })) => (pull(), stderr.clone()),
        (_, Some(ServerError::RegistryLogin { stderr, .. })) => (
            (
                "the server could not log in to the registry".to_string(),
                "服务器无法登录镜像仓库".to_string(),
            ),
            stderr.clone(),
        ),
        (_, Some(ServerError::Load { stderr })) => (
            (
                "the server could not load the new image".to_string(),
                "服务器无法载入新镜像".to_string(),
            ),
            stderr.clone(),
        ),
        (
            _,
            Some(ServerError::Command {
                command, stderr, ..
            }),
        ) if command.contains(" pull ") => (pull(), stderr.clone()),
        _ => return None,
    };
    let cause = stderr_cause(&text).filter(|c| {
        c.id.starts_with("registry_") || c.id == EXEC_FORMAT.id || c.id == DISK_FULL.id
    })?;
    Some(Diagnosis {
        summary,
        hint: Some(cause.hint_en.to_string()),
        log_tail: text.lines().map(str::to_string).collect(),
        cause: Some(cause.id.to_string()),
        summary_zh,
        hint_zh: Some(cause.hint_zh.to_string()),
        ..Diagnosis::default()
    })
}

/// The words that identify a registry error: the classified kind as the registry says it.
fn registry_text(e: &DockerError) -> String {
    match e {
        DockerError::RegistryTls { detail, .. } => format!("x509: {detail}"),
        DockerError::RegistryAuth { .. } => format!("401 Unauthorized: {e}"),
        _ => e.to_string(),
    }
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
        assert_eq!(d.summary_zh, "新容器停止了（退出码 137）");
        assert_eq!(d.cause.as_deref(), Some("oom_killed"));
        assert!(d.hint.unwrap().contains("OOMKilled"));
        assert!(d.hint_zh.unwrap().contains("memory"));
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
        assert_eq!(d.cause.as_deref(), Some("exec_format"));
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
        assert_eq!(d.cause.as_deref(), Some("health_timeout"));
        assert!(d.hint.unwrap().contains("0.0.0.0"));
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
        let d = explain_error(&e).unwrap();
        assert_eq!(d.cause.as_deref(), Some("registry_ca"));
        assert_eq!(
            d.summary,
            "the server could not pull the image from the registry"
        );
        assert!(d.hint.unwrap().contains("/etc/docker/certs.d/"));
        let other = Error::Server(ServerError::Command {
            command: "docker ps".into(),
            status: 1,
            stderr: "x509: certificate signed by unknown authority".into(),
        });
        assert!(explain_error(&other).is_none());
    }

    #[test]
    fn server_side_login_pull_and_load_failures_are_explained_however_deep() {
        use crate::release::ReleaseError;
        let login = ServerError::RegistryLogin {
            registry: "reg:5443".into(),
            user: "deploy".into(),
            stderr: "Error response from daemon: login attempt to https://reg:5443/v2/ failed \
                     with status: 401 Unauthorized"
                .into(),
        };
        assert!(registry_refused_login(&login));
        let e = Error::Release(ReleaseError::Server(login));
        let d = explain_error(&e).unwrap();
        assert_eq!(d.cause.as_deref(), Some("registry_unauthorized"));
        assert_eq!(d.summary, "the server could not log in to the registry");
        assert_eq!(e.kind(), crate::error::ErrorKind::RegistryAuth);

        let pull = Error::Server(ServerError::Pull {
            image: "reg:5443/app:1".into(),
            stderr: "x509: certificate signed by unknown authority".into(),
        });
        assert_eq!(
            explain_error(&pull).unwrap().cause.as_deref(),
            Some("registry_ca")
        );
        assert_eq!(pull.kind(), crate::error::ErrorKind::Other);

        let load = Error::Server(ServerError::Load {
            stderr: "write /var/lib/docker/tmp/x: no space left on device".into(),
        });
        let d = explain_error(&load).unwrap();
        assert_eq!(d.cause.as_deref(), Some("disk_full"));
        assert!(d.hint_zh.unwrap().contains("磁盘"));
    }
}
