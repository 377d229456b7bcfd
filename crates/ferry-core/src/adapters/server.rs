//! What Ferry learns from a server: its architecture, OS and Docker, and the app's containers.
//! Everything here runs `Cmd`s through a `Remote` (the SSH session, or a fake in tests).

use crate::adapters::remote::{system, Cmd, DockerCli};
use crate::adapters::ssh::{Output, SshError};
use crate::catalog::Msg;
use crate::formats::config::Platform;
use crate::msg;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

pub mod overview;

/// Something that runs commands on the server.
pub trait Remote: Sync {
    fn run(&self, cmd: &Cmd) -> Result<Output, SshError>;
    /// An HTTP GET from the server to `addr:port` (an address the server reaches: its own
    /// 127.0.0.1, a container's); the status code.
    fn http_get(
        &self,
        addr: &str,
        port: u16,
        path: &str,
        timeout: Duration,
    ) -> Result<u16, SshError>;
    /// Opens a new connection in place of a broken one; `false` when this remote cannot.
    fn reconnect(&self) -> Result<bool, SshError> {
        Ok(false)
    }
}

impl Remote for crate::adapters::ssh::Session {
    fn run(&self, cmd: &Cmd) -> Result<Output, SshError> {
        crate::adapters::ssh::Session::run(self, cmd)
    }
    fn http_get(
        &self,
        addr: &str,
        port: u16,
        path: &str,
        timeout: Duration,
    ) -> Result<u16, SshError> {
        crate::adapters::ssh::Session::http_get(self, addr, port, path, timeout)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(transparent)]
    Ssh(#[from] SshError),
    #[error("{}", self.message())]
    Command {
        command: String,
        status: i32,
        stderr: String,
    },
    #[error("{}", self.message())]
    DockerMissing { host: String },
    #[error("{}", self.message())]
    DockerNotRunning { host: String, detail: String },
    #[error("{}", self.message())]
    DockerDenied { user: String },
    #[error("{}", self.message())]
    UnknownArch(String),
    #[error("{}", self.message())]
    RegistryLogin {
        registry: String,
        user: String,
        stderr: String,
    },
    #[error("{}", self.message())]
    Pull { image: String, stderr: String },
    #[error("{}", self.message())]
    Load { stderr: String },
    #[error("{}", self.message())]
    Parse { command: String, detail: String },
}

impl ServerError {
    /// What went wrong and what to do, from the catalog.
    pub fn message(&self) -> Msg {
        match self {
            ServerError::Ssh(e) => e.message(),
            ServerError::Command {
                command,
                status,
                stderr,
            } => msg!(
                "server-command-failed",
                command = command,
                status = *status,
                stderr = stderr
            ),
            ServerError::DockerMissing { host } => msg!("server-docker-missing", host = host),
            ServerError::DockerNotRunning { host, detail } => {
                msg!("server-docker-not-running", host = host, detail = detail)
            }
            ServerError::DockerDenied { user } => msg!("server-docker-denied", user = user),
            ServerError::UnknownArch(arch) => msg!("server-unknown-arch", arch = arch),
            ServerError::RegistryLogin {
                registry,
                user,
                stderr,
            } => registry_login_message(registry, user, stderr),
            ServerError::Pull { image, stderr } => {
                msg!("server-pull-failed", image = image, stderr = stderr)
            }
            ServerError::Load { stderr } => load_message(stderr),
            ServerError::Parse { command, detail } => {
                msg!("server-parse", command = command, detail = detail)
            }
        }
    }
}

fn load_message(stderr: &str) -> Msg {
    if crate::diagnose::stderr_cause(stderr) == Some(crate::diagnose::DISK_FULL) {
        msg!("server-load-disk-full", stderr = stderr)
    } else {
        msg!("server-load-failed", stderr = stderr)
    }
}

fn registry_login_message(registry: &str, user: &str, stderr: &str) -> Msg {
    use crate::diagnose::{stderr_cause, REGISTRY_CA, REGISTRY_UNAUTHORIZED};
    let cause = stderr_cause(stderr);
    if cause == Some(REGISTRY_CA) {
        msg!("server-registry-ca", registry = registry, stderr = stderr)
    } else if cause == Some(REGISTRY_UNAUTHORIZED) {
        msg!(
            "server-registry-rejected",
            registry = registry,
            user = user,
            stderr = stderr
        )
    } else {
        msg!(
            "server-registry-login",
            registry = registry,
            stderr = stderr
        )
    }
}

/// Runs a command and insists on exit status 0.
pub fn run_ok(remote: &dyn Remote, cmd: &Cmd) -> Result<Output, ServerError> {
    let out = remote.run(cmd)?;
    if out.status == 0 {
        Ok(out)
    } else {
        Err(ServerError::Command {
            command: cmd.shell(),
            status: out.status,
            stderr: out.stderr.trim().to_string(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServerInfo {
    /// `uname -m`.
    pub machine: String,
    pub platform: Option<Platform>,
    /// `/etc/os-release` ID, VERSION_ID and PRETTY_NAME.
    pub os_id: String,
    pub os_version: String,
    pub os_name: String,
    pub docker_version: String,
    /// Whether docker needs `sudo -n` for this user.
    pub sudo: bool,
}

impl ServerInfo {
    pub fn docker(&self) -> DockerCli {
        DockerCli { sudo: self.sudo }
    }

    /// A CentOS 7 server with Docker 20.10 and `uname -m` = `machine`, for tests.
    #[cfg(test)]
    pub(crate) fn centos7(machine: &str) -> ServerInfo {
        ServerInfo {
            machine: machine.into(),
            platform: Platform::from_uname(machine),
            os_id: "centos".into(),
            os_version: "7".into(),
            os_name: "CentOS Linux 7 (Core)".into(),
            docker_version: "20.10.24".into(),
            sudo: false,
        }
    }
}

/// Learns what the server is: arch, OS, Docker, and whether docker needs sudo.
pub fn probe(remote: &dyn Remote, host: &str, user: &str) -> Result<ServerInfo, ServerError> {
    let machine = run_ok(remote, &system::arch())?.stdout.trim().to_string();
    let os = remote.run(&system::os_release())?;
    let release = parse_os_release(&os.stdout);
    let (docker_version, sudo) = docker_access(remote, host, user)?;
    Ok(ServerInfo {
        platform: Platform::from_uname(&machine),
        machine,
        os_id: release.get("ID").cloned().unwrap_or_default(),
        os_version: release.get("VERSION_ID").cloned().unwrap_or_default(),
        os_name: release.get("PRETTY_NAME").cloned().unwrap_or_default(),
        docker_version,
        sudo,
    })
}

fn docker_access(
    remote: &dyn Remote,
    host: &str,
    user: &str,
) -> Result<(String, bool), ServerError> {
    for sudo in [false, true] {
        let cmd = DockerCli { sudo }.version();
        let out = remote.run(&cmd)?;
        if out.status == 0 {
            let version = server_version(&out.stdout).ok_or_else(|| ServerError::Parse {
                command: cmd.shell(),
                detail: out.stdout.clone(),
            })?;
            return Ok((version, sudo));
        }
        let text = format!("{}{}", out.stderr, out.stdout);
        if sudo {
            // Docker is there (it said permission denied); sudo is missing or wants a password.
            break;
        }
        if out.status == 127 || text.contains("command not found") {
            return Err(ServerError::DockerMissing {
                host: host.to_string(),
            });
        }
        if text.contains("Cannot connect to the Docker daemon")
            || text.contains("Is the docker daemon running")
        {
            return Err(ServerError::DockerNotRunning {
                host: host.to_string(),
                detail: text.trim().to_string(),
            });
        }
        if !text.to_lowercase().contains("permission denied") {
            break;
        }
    }
    Err(ServerError::DockerDenied {
        user: user.to_string(),
    })
}

/// The engine's version. Podman (standing in for `docker` on RHEL 8+ and Rocky) runs without a
/// daemon and reports only a client, whose version is then the one that matters.
fn server_version(json: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(json.trim()).ok()?;
    v.pointer("/Server/Version")
        .or_else(|| v.pointer("/Client/Version"))?
        .as_str()
        .map(str::to_string)
}

pub fn parse_os_release(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().trim_matches('"').to_string()))
        .collect()
}

/// One of the app's containers, from `docker ps --format '{{json .}}'`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContainerSummary {
    pub id: String,
    pub name: String,
    pub image: String,
    pub state: String,
    pub status: String,
    pub created_at: String,
    pub version: Option<String>,
    /// The machine that deployed it (`ferry.deployed-by`), for releases that say.
    #[serde(default)]
    pub deployed_by: Option<String>,
}

impl ContainerSummary {
    /// When it was created, in RFC 3339 (`docker ps` says `2026-11-25 01:02:03 +0000 UTC`).
    pub fn created_rfc3339(&self) -> Option<String> {
        let text = self.created_at.trim();
        let without_zone_name = text.rsplit_once(' ').map_or(text, |(t, _)| t);
        chrono::DateTime::parse_from_str(without_zone_name, "%Y-%m-%d %H:%M:%S %z")
            .ok()
            .map(|t| {
                t.with_timezone(&chrono::Utc)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            })
    }

    /// Running, or about to run again (restarting).
    pub fn is_up(&self) -> bool {
        self.state == "running" || self.state == "restarting"
    }
}

pub fn app_containers(
    remote: &dyn Remote,
    docker: DockerCli,
    app: &str,
) -> Result<Vec<ContainerSummary>, ServerError> {
    let cmd = docker.list_app_containers(app);
    let out = run_ok(remote, &cmd)?;
    parse_ps(&out.stdout).map_err(|detail| ServerError::Parse {
        command: cmd.shell(),
        detail,
    })
}

pub fn parse_ps(text: &str) -> Result<Vec<ContainerSummary>, String> {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Row {
        #[serde(rename = "ID")]
        id: String,
        names: String,
        image: String,
        state: String,
        status: String,
        created_at: String,
        labels: String,
    }
    let mut rows = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let row: Row = serde_json::from_str(line).map_err(|e| format!("{e}: {line}"))?;
        let label = |key: &str| {
            row.labels
                .split(',')
                .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
                .map(str::to_string)
        };
        let (version, deployed_by) = (label("ferry.version"), label("ferry.deployed-by"));
        rows.push(ContainerSummary {
            id: row.id,
            name: row.names,
            image: row.image,
            state: row.state,
            status: row.status,
            created_at: row.created_at,
            version,
            deployed_by,
        });
    }
    // Newest first; Docker's CreatedAt ("2026-11-25 01:02:03 +0000 UTC") sorts as text.
    rows.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    Ok(rows)
}

/// Each of `images`' size in bytes and its tags; an image that is gone is only missing.
pub fn image_sizes(
    remote: &dyn Remote,
    docker: DockerCli,
    images: &[String],
) -> Result<Vec<(u64, Vec<String>)>, ServerError> {
    if images.is_empty() {
        return Ok(Vec::new());
    }
    let out = remote.run(&docker.image_sizes(images))?;
    Ok(out
        .stdout
        .lines()
        .filter_map(|l| {
            let (size, tags) = l.trim().split_once(' ')?;
            Some((size.parse().ok()?, serde_json::from_str(tags).ok()?))
        })
        .collect())
}

/// The parts of `docker container inspect` Ferry uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ContainerState {
    pub name: String,
    pub id: String,
    pub image: String,
    pub image_id: String,
    pub status: String,
    pub running: bool,
    pub restarting: bool,
    pub exit_code: i64,
    pub oom_killed: bool,
    pub error: String,
    pub started_at: String,
    pub finished_at: String,
    pub restart_count: i64,
    pub health: Option<String>,
    pub version: Option<String>,
    pub app: Option<String>,
    pub ports: Vec<String>,
    /// The container's address on its Docker network, as the server reaches it.
    #[serde(default)]
    pub ip: Option<String>,
}

pub fn inspect(
    remote: &dyn Remote,
    docker: DockerCli,
    name: &str,
) -> Result<Option<ContainerState>, ServerError> {
    let cmd = docker.inspect_container(name);
    let out = remote.run(&cmd)?;
    if out.status != 0 {
        if out.stderr.contains("No such container") || out.stderr.contains("no such container") {
            return Ok(None);
        }
        return Err(ServerError::Command {
            command: cmd.shell(),
            status: out.status,
            stderr: out.stderr.trim().to_string(),
        });
    }
    parse_inspect(&out.stdout)
        .map(Some)
        .map_err(|detail| ServerError::Parse {
            command: cmd.shell(),
            detail,
        })
}

/// `NetworkSettings.IPAddress` (the default bridge), else the first network's address.
fn container_ip(v: &serde_json::Value) -> Option<String> {
    let nonempty = |x: Option<&serde_json::Value>| {
        x.and_then(|x| x.as_str())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    nonempty(v.pointer("/NetworkSettings/IPAddress")).or_else(|| {
        v.pointer("/NetworkSettings/Networks")?
            .as_object()?
            .values()
            .find_map(|n| nonempty(n.get("IPAddress")))
    })
}

pub fn parse_inspect(text: &str) -> Result<ContainerState, String> {
    let all: serde_json::Value = serde_json::from_str(text.trim()).map_err(|e| e.to_string())?;
    let v = all.get(0).ok_or("empty inspect output")?;
    let s = |p: &str| {
        v.pointer(p)
            .and_then(|x| x.as_str())
            .unwrap_or_default()
            .to_string()
    };
    let label = |k: &str| {
        v.pointer("/Config/Labels")
            .and_then(|l| l.get(k))
            .and_then(|x| x.as_str())
            .map(str::to_string)
    };
    let mut ports = Vec::new();
    if let Some(map) = v
        .pointer("/HostConfig/PortBindings")
        .and_then(|p| p.as_object())
    {
        for (container_port, bindings) in map {
            for b in bindings.as_array().into_iter().flatten() {
                let host_ip = b.get("HostIp").and_then(|x| x.as_str()).unwrap_or_default();
                let host_port = b
                    .get("HostPort")
                    .and_then(|x| x.as_str())
                    .unwrap_or_default();
                let prefix = if host_ip.is_empty() {
                    String::new()
                } else {
                    format!("{host_ip}:")
                };
                ports.push(format!("{prefix}{host_port}->{container_port}"));
            }
        }
    }
    ports.sort();
    Ok(ContainerState {
        name: s("/Name").trim_start_matches('/').to_string(),
        id: s("/Id"),
        image: s("/Config/Image"),
        image_id: s("/Image"),
        status: s("/State/Status"),
        running: v
            .pointer("/State/Running")
            .and_then(|x| x.as_bool())
            .unwrap_or(false),
        restarting: v
            .pointer("/State/Restarting")
            .and_then(|x| x.as_bool())
            .unwrap_or(false),
        exit_code: v
            .pointer("/State/ExitCode")
            .and_then(|x| x.as_i64())
            .unwrap_or(0),
        oom_killed: v
            .pointer("/State/OOMKilled")
            .and_then(|x| x.as_bool())
            .unwrap_or(false),
        error: s("/State/Error"),
        started_at: s("/State/StartedAt"),
        finished_at: s("/State/FinishedAt"),
        restart_count: v
            .pointer("/RestartCount")
            .and_then(|x| x.as_i64())
            .unwrap_or(0),
        health: v
            .pointer("/State/Health/Status")
            .and_then(|x| x.as_str())
            .map(str::to_string),
        version: label("ferry.version"),
        app: label("ferry.app"),
        ports,
        ip: container_ip(v),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::testing::{FakeServer, Reply};

    /// A server answering `sudo -n docker version` with `sudo`, anything else with `plain`.
    fn docker_answers(plain: (i32, &str), sudo: (i32, &str)) -> FakeServer {
        FakeServer::new()
            .on_when(|c| c.argv[0] == "sudo", [Reply::fail(sudo.0, sudo.1)])
            .on_when(|_| true, [Reply::fail(plain.0, plain.1)])
    }

    #[test]
    fn docker_access_tells_missing_from_denied_with_or_without_sudo() {
        let denied = (
            1,
            "permission denied while trying to connect to the Docker daemon socket",
        );
        let cases = [
            // No sudo at all: Docker is there but refuses the user.
            (denied, (127, "bash: sudo: command not found"), "denied"),
            (denied, (1, "sudo: a password is required"), "denied"),
            ((127, "bash: docker: command not found"), (0, ""), "missing"),
            (
                (1, "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"),
                (0, ""),
                "not running",
            ),
        ];
        for (plain, sudo, want) in cases {
            let err = docker_access(&docker_answers(plain, sudo), "srv", "bob").unwrap_err();
            let got = match err {
                ServerError::DockerDenied { .. } => "denied",
                ServerError::DockerMissing { .. } => "missing",
                ServerError::DockerNotRunning { .. } => "not running",
                other => panic!("{other}"),
            };
            assert_eq!(got, want, "{plain:?} then {sudo:?}");
        }
    }

    #[test]
    fn os_release_is_read_like_a_shell_would() {
        let r = parse_os_release(
            "NAME=\"CentOS Linux\"\nVERSION_ID=\"7\"\nID=\"centos\"\nPRETTY_NAME=\"CentOS Linux 7 (Core)\"\n",
        );
        assert_eq!(r["ID"], "centos");
        assert_eq!(r["VERSION_ID"], "7");
        assert_eq!(r["PRETTY_NAME"], "CentOS Linux 7 (Core)");
    }

    #[test]
    fn the_engine_version_comes_from_the_server_or_podmans_client() {
        let docker = r#"{"Client":{"Version":"24.0.7"},"Server":{"Version":"20.10.24"}}"#;
        assert_eq!(server_version(docker).as_deref(), Some("20.10.24"));
        let podman =
            r#"{"Client":{"APIVersion":"4.4.1","Version":"4.4.1","OsArch":"linux/amd64"}}"#;
        assert_eq!(server_version(podman).as_deref(), Some("4.4.1"));
        assert_eq!(server_version("Emulate Docker CLI using podman."), None);
    }

    #[test]
    fn ps_rows_are_parsed_newest_first_with_versions() {
        let text = concat!(
            r#"{"ID":"a1","Names":"hello-20261124-1","Image":"hello:20261124-1","State":"exited","Status":"Exited (0)","CreatedAt":"2026-11-24 10:00:00 +0000 UTC","Labels":"ferry.app=hello,ferry.version=20261124-1"}"#,
            "\n",
            r#"{"ID":"b2","Names":"hello","Image":"hello:20261125-1","State":"running","Status":"Up 2 minutes","CreatedAt":"2026-11-25 10:00:00 +0000 UTC","Labels":"ferry.version=20261125-1,ferry.app=hello"}"#,
            "\n"
        );
        let rows = parse_ps(text).unwrap();
        assert_eq!(rows[0].name, "hello");
        assert_eq!(
            rows[0].created_rfc3339().as_deref(),
            Some("2026-11-25T10:00:00Z")
        );
        assert_eq!(rows[0].version.as_deref(), Some("20261125-1"));
        assert_eq!(rows[1].name, "hello-20261124-1");
    }

    #[test]
    fn inspect_output_yields_state_ports_and_labels() {
        let text = r#"[{"Id":"abc","Name":"/hello","Image":"sha256:1","RestartCount":2,
          "State":{"Status":"exited","Running":false,"Restarting":false,"OOMKilled":true,
                   "ExitCode":137,"Error":"","StartedAt":"t0","FinishedAt":"t1"},
          "Config":{"Image":"hello:1","Labels":{"ferry.app":"hello","ferry.version":"1"}},
          "HostConfig":{"PortBindings":{"8080/tcp":[{"HostIp":"","HostPort":"18080"}]}}}]"#;
        let s = parse_inspect(text).unwrap();
        assert_eq!(s.name, "hello");
        assert!(s.oom_killed);
        assert_eq!(s.exit_code, 137);
        assert_eq!(s.restart_count, 2);
        assert_eq!(s.version.as_deref(), Some("1"));
        assert_eq!(s.ports, vec!["18080->8080/tcp".to_string()]);
    }
}
