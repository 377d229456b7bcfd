//! Checks of the server, over SSH: Docker, SELinux, firewalld, the port, disk, time zone,
//! memory and the OS release.
//!
//! Every probe is a `Cmd` from `remote`, run on the session the deploy already holds. A probe
//! whose tool is missing (exit 127) or that is refused says nothing: a check that cannot run
//! reports no finding.

use super::config_edit::edit_config;
use super::finding::{AutoFix, Finding, FixAction, ServerCommand};
use crate::catalog::Msg;
use crate::config::{PortParts, Project, Volume};
use crate::msg;
use crate::remote::{system, Cmd};
use crate::server::{Remote, ServerError, ServerInfo};
use crate::ssh::{Output, SshError};
use crate::Error;
use std::collections::{BTreeMap, BTreeSet};
use toml_edit::DocumentMut;

/// Below this much free space where the server's Docker keeps images, a pull or load fails.
const DISK_ERROR_BYTES: u64 = 1 << 30;
const DISK_WARNING_BYTES: u64 = 3 << 30;

/// Findings about the server; `target` is the platform the build is for, when known (the
/// architecture itself is checked in [`super::local::arch_mismatch`]).
pub fn check(
    remote: &dyn Remote,
    server: &ServerInfo,
    project: &Project,
    target: Option<crate::config::Platform>,
) -> Vec<Finding> {
    let _ = target;
    let probe = Probe { remote };
    let mut findings = Vec::new();
    findings.extend(docker_engine(&probe, server, project));
    findings.extend(selinux_volume(&probe, project));
    findings.extend(firewalld_port_closed(&probe, project));
    findings.extend(port_in_use(&probe, server, project));
    findings.extend(low_disk(&probe, server));
    findings.extend(timezone_mismatch(&probe, project));
    findings.extend(memory_limit(&probe, project));
    findings.extend(eol_os(server));
    findings
}

/// Runs probes; `None` when the tool is not there or the command could not run.
struct Probe<'a> {
    remote: &'a dyn Remote,
}

/// A probe's command line and what it printed.
struct Answer {
    shell: String,
    out: Output,
}

impl Probe<'_> {
    fn run(&self, cmd: &Cmd) -> Option<Answer> {
        let out = self.remote.run(cmd).ok()?;
        let missing = out.status == 127
            || (out.status != 0 && out.stderr.to_lowercase().contains("command not found"));
        (!missing).then(|| Answer {
            shell: cmd.shell(),
            out,
        })
    }
}

impl Answer {
    fn ok(&self) -> bool {
        self.out.status == 0
    }

    fn stdout(&self) -> &str {
        self.out.stdout.trim()
    }

    /// `$ command` and its output, as shown to the user.
    fn evidence(&self) -> String {
        self.evidence_of(&self.out.stdout)
    }

    /// `$ command` and the part of its output that matters.
    fn evidence_of(&self, shown: &str) -> String {
        let shown = shown.trim_end();
        if shown.is_empty() {
            format!("$ {} (exit {})", self.shell, self.out.status)
        } else {
            format!("$ {}\n{shown}", self.shell)
        }
    }
}

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

// --- Docker ---------------------------------------------------------------------------------

fn docker_engine(probe: &Probe, server: &ServerInfo, project: &Project) -> Option<Finding> {
    if let Some(answer) = probe.run(&server.docker().client_version()) {
        if answer.ok() && answer.stdout().to_lowercase().starts_with("podman") {
            return Some(podman(&answer));
        }
    }
    docker_too_old(server, project)
}

fn podman(answer: &Answer) -> Finding {
    Finding::warning(
        "server.podman",
        msg!("check-server-podman", stdout = answer.stdout()),
    )
    .evidence(answer.evidence())
    .fix(msg!("check-server-podman-fix"))
}

/// `(major, minor)` of a Docker version such as `1.13.1`, `17.06.2-ce` or `20.10.24`.
fn major_minor(version: &str) -> Option<(u32, u32)> {
    let mut parts = version.trim().split(['.', '-', '+']);
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

fn docker_too_old(server: &ServerInfo, project: &Project) -> Option<Finding> {
    let version = &server.docker_version;
    let found = major_minor(version)?;
    let evidence = format!(
        "$ {}\nServer.Version: {version}",
        server.docker().version().shell()
    );
    let finding = if found < (17, 7) {
        let message = msg!("check-server-docker_too_old-no_stdin", version = version);
        // Without a registry the image goes over SSH into `docker load`, which old engines do.
        if project.config.registry.is_some() {
            Finding::error("server.docker_too_old", message)
        } else {
            Finding::warning("server.docker_too_old", message)
        }
    } else if found < (18, 9) {
        Finding::warning(
            "server.docker_too_old",
            msg!(
                "check-server-docker_too_old-unmaintained",
                version = version
            ),
        )
    } else {
        return None;
    };
    Some(finding.evidence(evidence).fix(msg!(
        "check-server-docker_too_old-fix",
        install = msg!("check-docker-install")
    )))
}

// --- SELinux --------------------------------------------------------------------------------

/// Folders that `:Z` must never relabel: the system would stop working.
const SYSTEM_DIRS: [&str; 14] = [
    "/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/proc", "/root", "/run",
    "/sys", "/usr", "/var",
];

fn selinux_label(volume: &Volume) -> bool {
    volume
        .as_str()
        .split(':')
        .nth(2)
        .is_some_and(|opts| opts.split(',').any(|o| o == "z" || o == "Z"))
}

/// `/srv/a:/data` → `/srv/a:/data:Z`; `/srv/a:/data:ro` → `/srv/a:/data:ro,Z`.
fn with_z(volume: &str) -> String {
    if volume.split(':').count() == 3 {
        format!("{volume},Z")
    } else {
        format!("{volume}:Z")
    }
}

/// A system folder (or one of a few whose contents the system needs), which `:Z` would break.
fn is_system_path(host: &str) -> bool {
    let host = host.trim_end_matches('/');
    let host = if host.is_empty() { "/" } else { host };
    SYSTEM_DIRS.iter().any(|dir| {
        host == *dir
            || (!matches!(*dir, "/" | "/home" | "/var")
                && host.starts_with(dir)
                && host[dir.len()..].starts_with('/'))
    }) || host.starts_with("/var/run/")
        || host.starts_with("/var/lib/docker")
}

fn selinux_volume(probe: &Probe, project: &Project) -> Option<Finding> {
    let unlabeled: Vec<&Volume> = project
        .config
        .container
        .volumes
        .iter()
        .filter(|v| v.host_path().is_some() && !selinux_label(v))
        .collect();
    if unlabeled.is_empty() {
        return None;
    }
    let answer = probe.run(&system::getenforce())?;
    if !answer.ok() || answer.stdout() != "Enforcing" {
        return None;
    }
    let list = unlabeled
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut finding = Finding::warning(
        "server.selinux_volume",
        msg!("check-server-selinux_volume", list = &list),
    )
    .evidence(answer.evidence())
    .fix(msg!("check-server-selinux_volume-fix"));
    let fixable: BTreeSet<String> = unlabeled
        .iter()
        .filter(|v| !v.host_path().is_some_and(is_system_path))
        .map(|v| v.as_str().to_string())
        .collect();
    if fixable.is_empty() {
        return Some(finding);
    }
    if let Some(edit) = edit_config(project, |doc| label_volumes(doc, &fixable)) {
        finding = finding.auto_fix(AutoFix::new(
            msg!("check-server-selinux_volume-autofix"),
            FixAction::EditFiles { files: vec![edit] },
        ));
    }
    Some(finding)
}

fn label_volumes(doc: &mut DocumentMut, volumes: &BTreeSet<String>) {
    let Some(array) = doc
        .get_mut("container")
        .and_then(|c| c.get_mut("volumes"))
        .and_then(|v| v.as_array_mut())
    else {
        return;
    };
    for value in array.iter_mut() {
        let Some(text) = value.as_str().filter(|t| volumes.contains(*t)) else {
            continue;
        };
        let decor = value.decor().clone();
        *value = with_z(text).into();
        *value.decor_mut() = decor;
    }
}

// --- firewalld ------------------------------------------------------------------------------

/// The published ports, once each, as `(port, protocol)`, with the address they bind to.
fn published(project: &Project) -> Vec<PortParts> {
    let mut seen = BTreeSet::new();
    project
        .config
        .container
        .ports
        .iter()
        .map(|p| p.parts())
        .filter(|p| seen.insert((p.host, p.protocol.clone(), p.host_ip.clone())))
        .collect()
}

fn loopback(ip: &str) -> bool {
    ip.starts_with("127.") || ip == "::1" || ip == "localhost"
}

fn firewalld_port_closed(probe: &Probe, project: &Project) -> Option<Finding> {
    let ports: Vec<PortParts> = published(project)
        .into_iter()
        .filter(|p| !p.host_ip.as_deref().is_some_and(loopback))
        .collect();
    if ports.is_empty() {
        return None;
    }
    let state = probe.run(&system::firewalld_state())?;
    if !state.ok() || state.stdout() != "running" {
        return None;
    }
    let mut closed = Vec::new();
    let mut evidence = vec![state.evidence()];
    for p in &ports {
        if let Some((false, answer)) = port_open(probe, p.host, &p.protocol) {
            evidence.push(answer.evidence());
            closed.push(format!("{}/{}", p.host, p.protocol));
        }
    }
    if closed.is_empty() {
        return None;
    }
    let list = closed.join(", ");
    let mut commands: Vec<ServerCommand> = ports
        .iter()
        .filter(|p| closed.contains(&format!("{}/{}", p.host, p.protocol)))
        .map(|p| system::firewalld_add_port(p.host, &p.protocol).into())
        .collect();
    commands.push(system::firewalld_reload().into());
    let shown = commands
        .iter()
        .map(|c| c.shell.as_str())
        .collect::<Vec<_>>()
        .join(" && ");
    Some(
        Finding::warning(
            "server.firewalld_port_closed",
            msg!("check-server-firewalld_port_closed", list = &list),
        )
        .evidence(evidence.join("\n"))
        .fix(msg!(
            "check-server-firewalld_port_closed-fix",
            shown = shown
        ))
        .auto_fix(AutoFix::new(
            msg!("check-server-firewalld_port_closed-autofix", list = &list),
            FixAction::RunOnServer { commands },
        )),
    )
}

/// Whether firewalld lets `port/protocol` in: asked directly, then through `sudo -n` (some
/// polkit policies allow queries only to root). `None` when neither answers yes or no.
fn port_open(probe: &Probe, port: u16, protocol: &str) -> Option<(bool, Answer)> {
    let query = system::firewalld_query_port(port, protocol);
    for cmd in [query.clone(), system::sudo(query)] {
        let answer = probe.run(&cmd)?;
        match answer.stdout() {
            "yes" => return Some((true, answer)),
            "no" => return Some((false, answer)),
            _ => {}
        }
    }
    None
}

// --- ports in use ---------------------------------------------------------------------------

/// A listening socket: `tcp`/`udp`, its local address and port, and the line it came from.
#[derive(Debug, PartialEq)]
struct Listener {
    protocol: String,
    address: String,
    port: u16,
    line: String,
}

/// Parses `ss -ltun` or `netstat -ltun` output.
fn parse_listeners(text: &str) -> Vec<Listener> {
    text.lines()
        .filter_map(|line| {
            let tokens: Vec<&str> = line.split_whitespace().collect();
            let protocol = match tokens.first()?.trim_end_matches('6') {
                p @ ("tcp" | "udp") => p.to_string(),
                _ => return None,
            };
            // ss: Netid State Recv-Q Send-Q Local Peer; netstat: Proto Recv-Q Send-Q Local Foreign
            let local = if tokens.get(1)?.parse::<u64>().is_ok() {
                tokens.get(3)?
            } else {
                tokens.get(4)?
            };
            let (address, port) = local.rsplit_once(':')?;
            let address = address.trim_matches(['[', ']']);
            let address = address.split('%').next().unwrap_or(address);
            Some(Listener {
                protocol,
                address: address.to_string(),
                port: port.parse().ok()?,
                line: line.trim().to_string(),
            })
        })
        .collect()
}

fn wildcard(ip: &str) -> bool {
    matches!(ip, "" | "*" | "0.0.0.0" | "::" | "::0")
}

fn conflicts(listener: &Listener, wanted: &PortParts) -> bool {
    listener.port == wanted.host
        && listener.protocol == wanted.protocol
        && match wanted.host_ip.as_deref() {
            None => true,
            Some(ip) => wildcard(ip) || wildcard(&listener.address) || listener.address == ip,
        }
}

/// A running container's published host ports, from `docker ps` with `published_ports()`.
#[derive(Debug, PartialEq)]
struct Publisher {
    name: String,
    app: String,
    ports: Vec<(u16, String)>,
    line: String,
}

/// Parses `NAME|APP|0.0.0.0:8080->8080/tcp, :::8080->8080/tcp` lines.
fn parse_publishers(text: &str) -> Vec<Publisher> {
    text.lines()
        .filter_map(|line| {
            let mut parts = line.trim().splitn(3, '|');
            let name = parts.next()?.to_string();
            let app = parts.next()?.to_string();
            let ports = parts
                .next()
                .unwrap_or_default()
                .split(", ")
                .filter_map(|mapping| {
                    let (host, container) = mapping.split_once("->")?;
                    let port = host.rsplit_once(':')?.1;
                    let protocol = container.rsplit_once('/')?.1;
                    Some((port.parse().ok()?, protocol.to_string()))
                })
                .collect();
            Some(Publisher {
                name,
                app,
                ports,
                line: line.trim().to_string(),
            })
        })
        .collect()
}

fn listeners(probe: &Probe) -> Option<(Answer, Vec<Listener>)> {
    [
        system::listening_sockets(),
        system::listening_sockets_netstat(),
    ]
    .iter()
    .filter_map(|cmd| probe.run(cmd))
    .find(Answer::ok)
    .map(|answer| {
        let found = parse_listeners(&answer.out.stdout);
        (answer, found)
    })
}

fn port_in_use(probe: &Probe, server: &ServerInfo, project: &Project) -> Vec<Finding> {
    let ports = published(project);
    if ports.is_empty() {
        return Vec::new();
    }
    // Without the list of containers, the app's own running release (which holds its ports
    // legitimately until the swap) could not be told apart: say nothing then.
    let Some(ps) = probe
        .run(&server.docker().published_ports())
        .filter(Answer::ok)
    else {
        return Vec::new();
    };
    let publishers = parse_publishers(&ps.out.stdout);
    let app = project.config.app.name.as_str();
    let sockets = listeners(probe);
    let mut findings = Vec::new();
    for wanted in &ports {
        let key = (wanted.host, wanted.protocol.clone());
        let own = publishers
            .iter()
            .any(|p| p.app == app && p.ports.contains(&key));
        if own {
            continue;
        }
        let container = publishers.iter().find(|p| p.ports.contains(&key));
        let socket = sockets.as_ref().and_then(|(answer, found)| {
            found
                .iter()
                .find(|l| conflicts(l, wanted))
                .map(|l| answer.evidence_of(&l.line))
        });
        let holder = match container {
            Some(c) => Some((
                msg!("check-server-port_in_use-container", name = &c.name),
                ps.evidence_of(&c.line),
            )),
            None => socket
                .clone()
                .map(|ev| (msg!("check-server-port_in_use-program"), ev)),
        };
        let Some((by, mut evidence)) = holder else {
            continue;
        };
        if container.is_some() {
            if let Some(ev) = socket {
                evidence = format!("{ev}\n{evidence}");
            }
        }
        findings.push(port_taken(wanted, by, evidence, container));
    }
    findings
}

fn port_taken(
    wanted: &PortParts,
    by: Msg,
    evidence: String,
    container: Option<&Publisher>,
) -> Finding {
    let port = format!("{}/{}", wanted.host, wanted.protocol);
    let stop = match container {
        Some(c) => msg!("check-server-port_in_use-stop_container", name = &c.name),
        None => msg!("check-server-port_in_use-stop_program", port = wanted.host),
    };
    let other = wanted.host.saturating_add(1);
    Finding::error(
        "server.port_in_use",
        msg!("check-server-port_in_use", port = port, by = by),
    )
    .evidence(evidence)
    .fix(msg!(
        "check-server-port_in_use-fix",
        stop = stop,
        other = other,
        container = wanted.container
    ))
}

// --- disk -----------------------------------------------------------------------------------

/// Available KiB in `df -Pk` output (the fourth column of its second line).
fn parse_df_available(text: &str) -> Option<u64> {
    text.lines().nth(1)?.split_whitespace().nth(3)?.parse().ok()
}

fn low_disk(probe: &Probe, server: &ServerInfo) -> Option<Finding> {
    let root = probe.run(&server.docker().root_dir()).filter(Answer::ok)?;
    let dir = root.stdout().lines().next()?.trim().to_string();
    if !dir.starts_with('/') {
        return None;
    }
    let df = probe.run(&system::disk_free(&dir)).filter(Answer::ok)?;
    let free = parse_df_available(&df.out.stdout)?.saturating_mul(1024);
    let gib = free as f64 / (1u64 << 30) as f64;
    let finding = if free < DISK_ERROR_BYTES {
        Finding::error(
            "server.low_disk",
            msg!(
                "check-server-low_disk-error",
                gib = format!("{:.1}", gib),
                dir = dir
            ),
        )
    } else if free < DISK_WARNING_BYTES {
        Finding::warning(
            "server.low_disk",
            msg!(
                "check-server-low_disk-warning",
                gib = format!("{:.1}", gib),
                dir = dir
            ),
        )
    } else {
        return None;
    };
    Some(
        finding
            .evidence(format!("{}\n{}", root.evidence(), df.evidence()))
            .fix(msg!("check-server-low_disk-fix")),
    )
}

// --- time zone ------------------------------------------------------------------------------

/// A zone name as the tz database spells it (`Asia/Shanghai`, `UTC`).
fn zone_name(text: &str) -> Option<String> {
    let zone = text.trim();
    let valid = !zone.is_empty()
        && zone.len() < 64
        && zone
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c));
    valid.then(|| zone.to_string())
}

/// `../usr/share/zoneinfo/Asia/Shanghai` → `Asia/Shanghai`.
fn zone_from_link(target: &str) -> Option<String> {
    let (_, zone) = target.trim().split_once("zoneinfo/")?;
    let zone = zone
        .strip_prefix("posix/")
        .or_else(|| zone.strip_prefix("right/"))
        .unwrap_or(zone);
    zone_name(zone)
}

/// The server's zone and how it was learned: systemd, then `/etc/localtime`, then
/// `/etc/timezone`.
type ZoneParser = fn(&str) -> Option<String>;

fn server_zone(probe: &Probe) -> Option<(String, String)> {
    let parsers: [(Cmd, ZoneParser); 3] = [
        (system::timezone(), zone_name),
        (system::localtime_link(), zone_from_link),
        (system::timezone_file(), zone_name),
    ];
    parsers.into_iter().find_map(|(cmd, parse)| {
        let answer = probe.run(&cmd).filter(Answer::ok)?;
        let zone = parse(answer.stdout())?;
        Some((zone, answer.evidence()))
    })
}

/// One name for each group of zones that are the same: the UTC aliases, and China's.
fn canonical_zone(zone: &str) -> &str {
    let zone = zone.strip_prefix(':').unwrap_or(zone);
    match zone.strip_prefix("Etc/").unwrap_or(zone) {
        "UTC" | "UCT" | "Universal" | "Zulu" | "GMT" | "GMT0" | "GMT+0" | "GMT-0" | "Greenwich" => {
            "UTC"
        }
        _ => match zone {
            "PRC" | "Asia/Chongqing" | "Asia/Chungking" | "Asia/Harbin" => "Asia/Shanghai",
            other => other,
        },
    }
}

fn timezone_mismatch(probe: &Probe, project: &Project) -> Option<Finding> {
    let tz = project.config.container.env.get("TZ");
    let (zone, evidence) = server_zone(probe)?;
    let server = canonical_zone(&zone);
    let finding = match tz {
        None if server == "UTC" => return None,
        Some(t) if canonical_zone(t) == server => return None,
        None => Finding::info(
            "server.timezone_mismatch",
            msg!("check-server-timezone_mismatch-no_tz", zone = &zone),
        ),
        Some(t) => Finding::warning(
            "server.timezone_mismatch",
            msg!(
                "check-server-timezone_mismatch-other_tz",
                t = t.as_str(),
                zone = &zone
            ),
        ),
    };
    let mut finding = finding
        .evidence(evidence)
        .fix(msg!("check-server-timezone_mismatch-fix", zone = &zone));
    if let Some(edit) = edit_config(project, |doc| set_env_tz(doc, &zone)) {
        finding = finding.auto_fix(AutoFix::new(
            msg!("check-server-timezone_mismatch-autofix", zone = &zone),
            FixAction::EditFiles { files: vec![edit] },
        ));
    }
    Some(finding)
}

/// Sets `env.TZ` under `[container]`, in whichever style `env` is written (an inline table
/// `env = { ... }` or a `[container.env]` table); a new `env` is an inline table.
fn set_env_tz(doc: &mut DocumentMut, zone: &str) {
    let container = doc.entry("container").or_insert(toml_edit::table());
    let Some(container) = container.as_table_like_mut() else {
        return;
    };
    match container.get_mut("env") {
        Some(toml_edit::Item::Value(toml_edit::Value::InlineTable(inline))) => {
            inline.insert("TZ", zone.into());
            // Spacing as `{ A = "a", TZ = "..." }`, not after the old last value.
            inline.fmt();
        }
        Some(item) => {
            if let Some(env) = item.as_table_like_mut() {
                env.insert("TZ", toml_edit::value(zone));
            }
        }
        None => {
            let mut env = toml_edit::InlineTable::new();
            env.insert("TZ", zone.into());
            container.insert("env", toml_edit::value(env));
        }
    }
}

// --- memory ---------------------------------------------------------------------------------

/// `(MemTotal, MemAvailable)` in bytes from `/proc/meminfo`.
fn parse_meminfo(text: &str) -> (Option<u64>, Option<u64>) {
    let fields: BTreeMap<&str, u64> = text
        .lines()
        .filter_map(|l| {
            let (key, rest) = l.split_once(':')?;
            let kib = rest.split_whitespace().next()?.parse::<u64>().ok()?;
            Some((key.trim(), kib.saturating_mul(1024)))
        })
        .collect();
    (
        fields.get("MemTotal").copied(),
        fields.get("MemAvailable").copied(),
    )
}

fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / (1u64 << 30) as f64)
}

fn memory_limit(probe: &Probe, project: &Project) -> Option<Finding> {
    let memory = project.config.container.memory.as_ref()?;
    let limit = memory.bytes();
    let answer = probe.run(&system::meminfo()).filter(Answer::ok)?;
    let (total, available) = parse_meminfo(&answer.out.stdout);
    let total = total?;
    let shown: String = answer
        .out
        .stdout
        .lines()
        .filter(|l| l.starts_with("MemTotal:") || l.starts_with("MemAvailable:"))
        .map(|l| format!("{l}\n"))
        .collect();
    let finding = if limit > total {
        Finding::error(
            "server.memory_limit",
            msg!(
                "check-server-memory_limit-total",
                memory = memory.to_string(),
                total = gib(total)
            ),
        )
    } else if let Some(available) = available.filter(|a| limit > *a) {
        Finding::warning(
            "server.memory_limit",
            msg!(
                "check-server-memory_limit-available",
                memory = memory.to_string(),
                available = gib(available)
            ),
        )
    } else {
        return None;
    };
    let room = available.unwrap_or(total);
    let suggest = ((room / 2) >> 20).max(64);
    Some(finding.evidence(answer.evidence_of(&shown)).fix(msg!(
        "check-server-memory_limit-fix",
        room = gib(room),
        suggest = suggest
    )))
}

// --- OS release -----------------------------------------------------------------------------

/// An end-of-life release: its name, the end date, and the vault path for its packages.
fn end_of_life(server: &ServerInfo) -> Option<(&'static str, &'static str, &'static str)> {
    if server.os_id != "centos" {
        return None;
    }
    let major = server.os_version.split('.').next().unwrap_or_default();
    let stream = server.os_name.contains("Stream");
    match (major, stream) {
        ("7", _) => Some(("CentOS Linux 7", "2024-06-30", "7.9.2009")),
        ("8", true) => Some(("CentOS Stream 8", "2024-05-31", "8-stream")),
        ("8", false) => Some(("CentOS Linux 8", "2021-12-31", "8.5.2111")),
        _ => None,
    }
}

fn eol_os(server: &ServerInfo) -> Option<Finding> {
    let (name, date, vault) = end_of_life(server)?;
    Some(
        Finding::warning(
            "server.eol_os",
            msg!("check-server-eol_os", name = name, date = date),
        )
        .evidence(format!(
            "/etc/os-release: PRETTY_NAME=\"{}\" ID={} VERSION_ID={}",
            server.os_name, server.os_id, server.os_version
        ))
        .fix(msg!("check-server-eol_os-fix", vault = vault)),
    )
}

#[cfg(test)]
mod tests {
    //! Each check against a fake server that answers by the exact command line.
    use super::*;
    use crate::catalog::Lang;
    use crate::config::Platform;
    use crate::doctor::{apply::edit_files, Severity};
    use std::sync::Mutex;
    use std::time::Duration;

    /// Answers by exact shell line; any other command "is not installed" (exit 127).
    struct Fake {
        answers: BTreeMap<String, Output>,
        asked: Mutex<Vec<String>>,
    }

    impl Fake {
        fn new(answers: &[(&str, i32, &str)]) -> Fake {
            Fake {
                answers: answers
                    .iter()
                    .map(|(cmd, status, stdout)| {
                        let out = Output {
                            status: *status,
                            stdout: stdout.to_string(),
                            stderr: String::new(),
                        };
                        (cmd.to_string(), out)
                    })
                    .collect(),
                asked: Mutex::new(Vec::new()),
            }
        }

        fn asked(&self) -> Vec<String> {
            self.asked.lock().unwrap().clone()
        }
    }

    impl Remote for Fake {
        fn run(&self, cmd: &Cmd) -> Result<Output, SshError> {
            let shell = cmd.shell();
            self.asked.lock().unwrap().push(shell.clone());
            Ok(self.answers.get(&shell).cloned().unwrap_or(Output {
                status: 127,
                stdout: String::new(),
                stderr: format!("bash: {}: command not found", cmd.argv[0]),
            }))
        }
        fn http_get(&self, _: &str, _: u16, _: &str, _: Duration) -> Result<u16, SshError> {
            Ok(200)
        }
    }

    const TOML: &str = r#"# the hello service
[app]
name = "hello"

[server]
host = "203.0.113.10"
user = "deployer"

[container]
ports = ["8080:8080"]
env = { GREETING = "你好" } # shown on /
volumes = ["/srv/hello/data:/data", "/srv/hello/conf:/conf:ro", "logs:/logs"]
memory = "256m"
"#;

    /// A project whose ferry.toml is `text`, in a folder of its own.
    fn project(text: &str) -> (tempfile::TempDir, Project) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ferry.toml");
        std::fs::write(&path, text).unwrap();
        let project = Project::load(&path).unwrap();
        (dir, project)
    }

    fn centos7() -> ServerInfo {
        ServerInfo::centos7("x86_64")
    }

    fn rocky9() -> ServerInfo {
        ServerInfo {
            os_id: "rocky".into(),
            os_version: "9.3".into(),
            os_name: "Rocky Linux 9.3 (Blue Onyx)".into(),
            ..centos7()
        }
    }

    fn ids(findings: &[Finding]) -> Vec<&str> {
        findings.iter().map(|f| f.id.as_str()).collect()
    }

    fn only<'a>(findings: &'a [Finding], id: &str) -> &'a Finding {
        let hits: Vec<&Finding> = findings.iter().filter(|f| f.id == id).collect();
        assert_eq!(hits.len(), 1, "one {id} in {:?}", ids(findings));
        hits[0]
    }

    /// Applies a finding's file edit in the project folder and loads the result.
    fn apply_edit(dir: &tempfile::TempDir, finding: &Finding) -> (String, Project) {
        let Some(AutoFix {
            action: FixAction::EditFiles { files },
            ..
        }) = &finding.auto_fix
        else {
            panic!("{} has no file edit: {:?}", finding.id, finding.auto_fix);
        };
        assert_eq!(edit_files(dir.path(), files).unwrap(), ["ferry.toml"]);
        let path = dir.path().join("ferry.toml");
        let text = std::fs::read_to_string(&path).unwrap();
        (text, Project::load(&path).unwrap())
    }

    fn server_commands(finding: &Finding) -> Vec<String> {
        match &finding.auto_fix {
            Some(AutoFix {
                action: FixAction::RunOnServer { commands },
                ..
            }) => commands.iter().map(|c| c.shell.clone()).collect(),
            other => panic!("{} has no server commands: {other:?}", finding.id),
        }
    }

    // --- connect failures -----------------------------------------------------------------

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
                    kind: crate::ssh::Unreachable::Refused,
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

    // --- Docker -------------------------------------------------------------------------

    #[test]
    fn an_old_docker_is_an_error_with_a_registry_and_a_warning_before_18_09() {
        let with_registry = TOML.replace(
            "[server]",
            "[registry]\nserver = \"r.example.com\"\nusername = \"u\"\nrepository = \"t/h\"\n\n[server]",
        );
        let (_d, p) = project(&with_registry);
        let fake = Fake::new(&[(
            "docker --version",
            0,
            "Docker version 1.13.1, build 7d71120\n",
        )]);
        let old = ServerInfo {
            docker_version: "1.13.1".into(),
            ..centos7()
        };
        let found = docker_engine(&Probe { remote: &fake }, &old, &p).unwrap();
        assert_eq!(
            (found.id.as_str(), found.severity),
            ("server.docker_too_old", Severity::Error)
        );
        assert!(found.message.render(Lang::En).contains("--password-stdin"));
        assert_eq!(
            found.evidence.as_deref(),
            Some("$ docker version --format '{{json .}}'\nServer.Version: 1.13.1")
        );
        assert!(found
            .fix
            .unwrap()
            .render(Lang::En)
            .contains("yum install -y docker-ce"));

        // Over SSH (no registry) an old engine still loads the image: only a warning.
        let (_d, p) = project(TOML);
        let found = docker_engine(&Probe { remote: &fake }, &old, &p).unwrap();
        assert_eq!(found.severity, Severity::Warning);

        let ce17 = ServerInfo {
            docker_version: "17.09.1-ce".into(),
            ..centos7()
        };
        let found = docker_engine(&Probe { remote: &fake }, &ce17, &p).unwrap();
        assert_eq!(
            (found.id.as_str(), found.severity),
            ("server.docker_too_old", Severity::Warning)
        );

        assert!(docker_engine(&Probe { remote: &fake }, &centos7(), &p).is_none());
        let new = ServerInfo {
            docker_version: "24.0.7".into(),
            ..centos7()
        };
        assert!(docker_engine(&Probe { remote: &fake }, &new, &p).is_none());
    }

    #[test]
    fn podman_standing_in_for_docker_is_named_not_called_old() {
        let (_d, p) = project(TOML);
        let fake = Fake::new(&[("docker --version", 0, "podman version 4.4.1\n")]);
        let server = ServerInfo {
            docker_version: "4.4.1".into(),
            ..rocky9()
        };
        let f = docker_engine(&Probe { remote: &fake }, &server, &p).unwrap();
        assert_eq!(
            (f.id.as_str(), f.severity),
            ("server.podman", Severity::Warning)
        );
        assert!(f
            .message
            .render(Lang::En)
            .contains("podman-restart.service"));
        assert_eq!(
            f.evidence.as_deref(),
            Some("$ docker --version\npodman version 4.4.1")
        );
        assert!(f
            .fix
            .unwrap()
            .render(Lang::En)
            .contains("systemctl enable --now podman-restart.service"));
    }

    // --- SELinux ----------------------------------------------------------------------------

    #[test]
    fn enforcing_selinux_with_unlabeled_bind_mounts_offers_z() {
        let (dir, p) = project(TOML);
        let fake = Fake::new(&[("getenforce", 0, "Enforcing\n")]);
        let f = selinux_volume(&Probe { remote: &fake }, &p).unwrap();
        assert_eq!(
            (f.id.as_str(), f.severity),
            ("server.selinux_volume", Severity::Warning)
        );
        assert!(f
            .message
            .render(Lang::En)
            .contains("\"/srv/hello/data:/data\", \"/srv/hello/conf:/conf:ro\""));
        assert!(
            !f.message.render(Lang::En).contains("logs:/logs"),
            "named volumes need no label"
        );
        assert!(f.message.render(Lang::En).contains("permission denied"));
        assert_eq!(f.evidence.as_deref(), Some("$ getenforce\nEnforcing"));

        let (text, loaded) = apply_edit(&dir, &f);
        let volumes: Vec<&str> = loaded
            .config
            .container
            .volumes
            .iter()
            .map(|v| v.as_str())
            .collect();
        assert_eq!(
            volumes,
            [
                "/srv/hello/data:/data:Z",
                "/srv/hello/conf:/conf:ro,Z",
                "logs:/logs"
            ]
        );
        assert!(text.starts_with("# the hello service\n"), "{text}");
        assert!(text.contains("# shown on /"), "{text}");

        // Labeled now: getenforce is not even asked.
        let fake = Fake::new(&[("getenforce", 0, "Enforcing\n")]);
        assert!(selinux_volume(&Probe { remote: &fake }, &loaded).is_none());
        assert!(fake.asked().is_empty());
    }

    #[test]
    fn selinux_permissive_disabled_or_missing_says_nothing() {
        let (_d, p) = project(TOML);
        for answer in [
            Fake::new(&[("getenforce", 0, "Permissive\n")]),
            Fake::new(&[("getenforce", 0, "Disabled\n")]),
            Fake::new(&[]),
        ] {
            assert!(selinux_volume(&Probe { remote: &answer }, &p).is_none());
        }
    }

    #[test]
    fn a_system_folder_gets_no_automatic_relabel() {
        let text = TOML.replace(
            r#"volumes = ["/srv/hello/data:/data", "/srv/hello/conf:/conf:ro", "logs:/logs"]"#,
            r#"volumes = ["/etc/hello:/etc/hello:ro", "/var/run/docker.sock:/var/run/docker.sock"]"#,
        );
        let (_d, p) = project(&text);
        let fake = Fake::new(&[("getenforce", 0, "Enforcing\n")]);
        let f = selinux_volume(&Probe { remote: &fake }, &p).unwrap();
        assert!(f.auto_fix.is_none());
        assert!(f
            .fix
            .unwrap()
            .render(Lang::En)
            .contains("chcon -Rt container_file_t"));
        assert!(is_system_path("/home") && is_system_path("/usr/share") && is_system_path("/"));
        assert!(!is_system_path("/srv/app") && !is_system_path("/home/deployer/data"));
        assert!(!is_system_path("/etcetera") && !is_system_path("/data"));
    }

    // --- firewalld ----------------------------------------------------------------------

    #[test]
    fn a_port_firewalld_does_not_open_is_opened_on_request() {
        let (_d, p) = project(TOML);
        let fake = Fake::new(&[
            ("firewall-cmd --state", 0, "running\n"),
            ("firewall-cmd --query-port=8080/tcp", 1, "no\n"),
        ]);
        let f = firewalld_port_closed(&Probe { remote: &fake }, &p).unwrap();
        assert_eq!(
            (f.id.as_str(), f.severity),
            ("server.firewalld_port_closed", Severity::Warning)
        );
        assert!(f.message.render(Lang::En).contains("8080/tcp"));
        assert_eq!(
            f.evidence.as_deref(),
            Some("$ firewall-cmd --state\nrunning\n$ firewall-cmd --query-port=8080/tcp\nno")
        );
        assert_eq!(
            server_commands(&f),
            [
                "sudo -n firewall-cmd --permanent --add-port=8080/tcp",
                "sudo -n firewall-cmd --reload"
            ]
        );
        let fix = f.fix.unwrap();
        assert!(fix.render(Lang::En).contains(
            "sudo -n firewall-cmd --permanent --add-port=8080/tcp && sudo -n firewall-cmd --reload"
        ));
        assert!(fix.render(Lang::Zh).contains("安全组"));
    }

    #[test]
    fn an_open_port_a_stopped_or_missing_firewalld_says_nothing() {
        let (_d, p) = project(TOML);
        let open = Fake::new(&[
            ("firewall-cmd --state", 0, "running\n"),
            ("firewall-cmd --query-port=8080/tcp", 0, "yes\n"),
        ]);
        let stopped = Fake::new(&[("firewall-cmd --state", 252, "not running\n")]);
        for fake in [open, stopped, Fake::new(&[])] {
            assert!(firewalld_port_closed(&Probe { remote: &fake }, &p).is_none());
        }
    }

    #[test]
    fn a_query_refused_to_the_user_is_asked_through_sudo() {
        let text = TOML.replace(
            r#"ports = ["8080:8080"]"#,
            r#"ports = ["8080:8080", "127.0.0.1:9090:9090", "5353:53/udp"]"#,
        );
        let (_d, p) = project(&text);
        let fake = Fake::new(&[
            ("firewall-cmd --state", 0, "running\n"),
            (
                "firewall-cmd --query-port=8080/tcp",
                11,
                "Authorization failed.\n",
            ),
            ("sudo -n firewall-cmd --query-port=8080/tcp", 0, "yes\n"),
            ("firewall-cmd --query-port=5353/udp", 1, "no\n"),
        ]);
        let f = firewalld_port_closed(&Probe { remote: &fake }, &p).unwrap();
        assert_eq!(
            server_commands(&f),
            [
                "sudo -n firewall-cmd --permanent --add-port=5353/udp",
                "sudo -n firewall-cmd --reload"
            ]
        );
        // A port published on loopback only is not the firewall's business.
        assert!(!fake.asked().iter().any(|c| c.contains("9090")));
    }

    // --- ports in use -------------------------------------------------------------------

    const SS: &str = "Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n\
                      udp   UNCONN 0      0            0.0.0.0:68        0.0.0.0:*\n\
                      tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*\n\
                      tcp   LISTEN 0      4096         0.0.0.0:8080      0.0.0.0:*\n\
                      tcp   LISTEN 0      4096            [::]:8080         [::]:*\n";
    const PS: &str = "docker ps --format '{{.Names}}|{{.Label \"ferry.app\"}}|{{.Ports}}'";

    #[test]
    fn a_port_held_by_another_program_is_an_error_with_the_ss_line() {
        let (_d, p) = project(TOML);
        let fake = Fake::new(&[(PS, 0, ""), ("ss -ltun", 0, SS)]);
        let found = port_in_use(&Probe { remote: &fake }, &centos7(), &p);
        let f = only(&found, "server.port_in_use");
        assert_eq!(f.severity, Severity::Error);
        assert!(f.message.render(Lang::En).contains("port 8080/tcp"));
        assert!(f
            .message
            .render(Lang::En)
            .contains("address already in use"));
        assert_eq!(
            f.evidence.as_deref(),
            Some("$ ss -ltun\ntcp   LISTEN 0      4096         0.0.0.0:8080      0.0.0.0:*")
        );
        assert!(f
            .fix
            .as_ref()
            .unwrap()
            .render(Lang::En)
            .contains("\"8081:8080\""));
    }

    #[test]
    fn the_apps_own_running_release_may_hold_its_port() {
        let (_d, p) = project(TOML);
        let fake = Fake::new(&[
            (
                PS,
                0,
                "hello|hello|0.0.0.0:8080->8080/tcp, :::8080->8080/tcp\n",
            ),
            ("ss -ltun", 0, SS),
        ]);
        assert!(port_in_use(&Probe { remote: &fake }, &centos7(), &p).is_empty());
    }

    #[test]
    fn a_port_published_by_another_container_names_it() {
        let (_d, p) = project(TOML);
        let fake = Fake::new(&[
            (
                PS,
                0,
                "hello-20261124-1|hello|\nnginx||0.0.0.0:8080->80/tcp, :::8080->80/tcp\n",
            ),
            (
                "netstat -ltun",
                0,
                "Active Internet connections (only servers)\n\
               Proto Recv-Q Send-Q Local Address  Foreign Address  State\n\
               tcp        0      0 0.0.0.0:8080   0.0.0.0:*        LISTEN\n",
            ),
        ]);
        let found = port_in_use(&Probe { remote: &fake }, &centos7(), &p);
        let f = only(&found, "server.port_in_use");
        assert!(
            f.message.render(Lang::En).contains("container `nginx`"),
            "{}",
            f.message.render(Lang::En)
        );
        assert_eq!(
            f.evidence.as_deref(),
            Some(
                "$ netstat -ltun\ntcp        0      0 0.0.0.0:8080   0.0.0.0:*        LISTEN\n\
                 $ docker ps --format '{{.Names}}|{{.Label \"ferry.app\"}}|{{.Ports}}'\n\
                 nginx||0.0.0.0:8080->80/tcp, :::8080->80/tcp"
            )
        );
        assert!(f
            .fix
            .as_ref()
            .unwrap()
            .render(Lang::En)
            .contains("docker stop nginx"));
    }

    #[test]
    fn a_free_port_or_an_unknown_container_list_says_nothing() {
        let (_d, p) = project(TOML);
        let free = SS.replace("8080", "9999");
        let fake = Fake::new(&[(PS, 0, ""), ("ss -ltun", 0, free.as_str())]);
        assert!(port_in_use(&Probe { remote: &fake }, &centos7(), &p).is_empty());
        // Docker's list failed: the app's own release cannot be told apart, so no guess.
        let fake = Fake::new(&[(PS, 1, ""), ("ss -ltun", 0, SS)]);
        assert!(port_in_use(&Probe { remote: &fake }, &centos7(), &p).is_empty());
    }

    #[test]
    fn listeners_parse_from_ss_and_netstat() {
        let ss = parse_listeners(SS);
        assert_eq!(ss.len(), 4);
        assert_eq!((ss[0].protocol.as_str(), ss[0].port), ("udp", 68));
        assert_eq!((ss[3].address.as_str(), ss[3].port), ("::", 8080));
        let netstat = parse_listeners(
            "Proto Recv-Q Send-Q Local Address Foreign Address State\n\
             tcp6       0      0 :::8080        :::*            LISTEN\n\
             tcp        0      0 127.0.0.1:25   0.0.0.0:*       LISTEN\n",
        );
        assert_eq!(
            (netstat[0].protocol.as_str(), netstat[0].address.as_str()),
            ("tcp", "::")
        );
        assert_eq!(
            (netstat[1].address.as_str(), netstat[1].port),
            ("127.0.0.1", 25)
        );
        let pinned = crate::config::parse_port_mapping("10.0.0.5:25:25").unwrap();
        assert!(conflicts(
            &netstat[0],
            &crate::config::parse_port_mapping("8080:80").unwrap()
        ));
        assert!(
            !conflicts(&netstat[1], &pinned),
            "different addresses may share a port"
        );
    }

    // --- disk -----------------------------------------------------------------------------

    fn df_fake(kib: u64) -> Fake {
        let df = format!(
            "Filesystem     1024-blocks    Used Available Capacity Mounted on\n\
             /dev/vda1         41152736 3000000 {kib}      99% /\n"
        );
        Fake::new(&[
            (
                "docker info --format '{{.DockerRootDir}}'",
                0,
                "/var/lib/docker\n",
            ),
            ("df -Pk /var/lib/docker", 0, &df),
        ])
    }

    #[test]
    fn little_free_disk_for_images_is_an_error_some_a_warning() {
        let f = low_disk(
            &Probe {
                remote: &df_fake(512 * 1024),
            },
            &centos7(),
        )
        .unwrap();
        assert_eq!(
            (f.id.as_str(), f.severity),
            ("server.low_disk", Severity::Error)
        );
        assert!(
            f.message.render(Lang::En).contains("0.5 GiB"),
            "{}",
            f.message.render(Lang::En)
        );
        let evidence = f.evidence.unwrap();
        assert!(evidence.starts_with(
            "$ docker info --format '{{.DockerRootDir}}'\n/var/lib/docker\n$ df -Pk /var/lib/docker\n"
        ), "{evidence}");
        let f = low_disk(
            &Probe {
                remote: &df_fake(2 << 20),
            },
            &centos7(),
        )
        .unwrap();
        assert_eq!(f.severity, Severity::Warning);
        assert!(low_disk(
            &Probe {
                remote: &df_fake(50 << 20)
            },
            &centos7()
        )
        .is_none());
        assert!(low_disk(
            &Probe {
                remote: &Fake::new(&[])
            },
            &centos7()
        )
        .is_none());
    }

    // --- time zone ----------------------------------------------------------------------

    #[test]
    fn a_container_in_utc_on_a_shanghai_server_is_told_and_tz_is_set_inline() {
        let (dir, p) = project(TOML);
        // CentOS 7's systemd 219 has no `timedatectl show`: the link tells.
        let fake = Fake::new(&[
            (
                "timedatectl show -p Timezone --value",
                1,
                "Unknown operation show\n",
            ),
            (
                "readlink /etc/localtime",
                0,
                "../usr/share/zoneinfo/Asia/Shanghai\n",
            ),
        ]);
        let f = timezone_mismatch(&Probe { remote: &fake }, &p).unwrap();
        assert_eq!(
            (f.id.as_str(), f.severity),
            ("server.timezone_mismatch", Severity::Info)
        );
        assert!(f
            .message
            .render(Lang::En)
            .contains("logs will be in UTC while the server shows Asia/Shanghai"));
        assert_eq!(
            f.evidence.as_deref(),
            Some("$ readlink /etc/localtime\n../usr/share/zoneinfo/Asia/Shanghai")
        );
        let (text, loaded) = apply_edit(&dir, &f);
        assert!(
            text.contains(r#"env = { GREETING = "你好", TZ = "Asia/Shanghai" } # shown on /"#),
            "{text}"
        );
        assert_eq!(loaded.config.container.env["TZ"], "Asia/Shanghai");
        assert_eq!(loaded.config.container.env["GREETING"], "你好");
        assert!(timezone_mismatch(&Probe { remote: &fake }, &loaded).is_none());
    }

    #[test]
    fn a_different_tz_is_a_warning_and_a_table_style_env_keeps_its_style() {
        let text = TOML.replace("env = { GREETING = \"你好\" } # shown on /\n", "")
            + "\n[container.env]\nTZ = \"UTC\"\n";
        let (dir, p) = project(&text);
        let fake = Fake::new(&[("timedatectl show -p Timezone --value", 0, "Asia/Shanghai\n")]);
        let f = timezone_mismatch(&Probe { remote: &fake }, &p).unwrap();
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(
            f.evidence.as_deref(),
            Some("$ timedatectl show -p Timezone --value\nAsia/Shanghai")
        );
        let (text, loaded) = apply_edit(&dir, &f);
        assert!(
            text.ends_with("[container.env]\nTZ = \"Asia/Shanghai\"\n"),
            "{text}"
        );
        assert_eq!(loaded.config.container.env["TZ"], "Asia/Shanghai");
    }

    #[test]
    fn a_missing_env_is_created_as_an_inline_table() {
        let text = TOML.replace("env = { GREETING = \"你好\" } # shown on /\n", "");
        let (dir, p) = project(&text);
        let fake = Fake::new(&[("cat /etc/timezone", 0, "Asia/Shanghai\n")]);
        let f = timezone_mismatch(&Probe { remote: &fake }, &p).unwrap();
        let (text, _) = apply_edit(&dir, &f);
        assert!(
            text.contains("env = { TZ = \"Asia/Shanghai\" }\n"),
            "{text}"
        );
    }

    #[test]
    fn same_zones_by_any_name_say_nothing() {
        let utc_server = Fake::new(&[(
            "readlink /etc/localtime",
            0,
            "/usr/share/zoneinfo/Etc/UTC\n",
        )]);
        let (_d, p) = project(TOML);
        assert!(timezone_mismatch(
            &Probe {
                remote: &utc_server
            },
            &p
        )
        .is_none());
        let prc = TOML.replace("GREETING = \"你好\"", "GREETING = \"你好\", TZ = \"PRC\"");
        let (_d, p) = project(&prc);
        let shanghai = Fake::new(&[("timedatectl show -p Timezone --value", 0, "Asia/Shanghai\n")]);
        assert!(timezone_mismatch(&Probe { remote: &shanghai }, &p).is_none());
        assert!(timezone_mismatch(
            &Probe {
                remote: &Fake::new(&[])
            },
            &p
        )
        .is_none());
        assert_eq!(
            zone_from_link("/usr/share/zoneinfo/posix/Asia/Shanghai").as_deref(),
            Some("Asia/Shanghai")
        );
        assert_eq!(zone_from_link("/etc/localtime"), None);
    }

    // --- memory ---------------------------------------------------------------------------

    fn meminfo() -> Fake {
        Fake::new(&[(
            "cat /proc/meminfo",
            0,
            "MemTotal:        2097152 kB\nMemFree:          102400 kB\nMemAvailable:    1048576 kB\n",
        )])
    }

    #[test]
    fn a_memory_limit_above_what_the_server_has_is_named() {
        let fake = meminfo();
        let (_d, p) = project(&TOML.replace("256m", "1536m"));
        let f = memory_limit(&Probe { remote: &fake }, &p).unwrap();
        assert_eq!(
            (f.id.as_str(), f.severity),
            ("server.memory_limit", Severity::Warning)
        );
        assert!(f.message.render(Lang::En).contains("OOM-kill"));
        assert_eq!(
            f.evidence.as_deref(),
            Some("$ cat /proc/meminfo\nMemTotal:        2097152 kB\nMemAvailable:    1048576 kB")
        );
        assert!(f.fix.unwrap().render(Lang::En).contains("\"512m\""));

        let (_d, p) = project(&TOML.replace("256m", "4g"));
        let f = memory_limit(&Probe { remote: &fake }, &p).unwrap();
        assert_eq!(f.severity, Severity::Error);
        assert!(
            f.message.render(Lang::En).contains("2.0 GiB"),
            "{}",
            f.message.render(Lang::En)
        );

        let (_d, p) = project(TOML);
        assert!(memory_limit(&Probe { remote: &fake }, &p).is_none());
        let (_d, p) = project(&TOML.replace("memory = \"256m\"\n", ""));
        assert!(memory_limit(&Probe { remote: &fake }, &p).is_none());
    }

    // --- OS release -----------------------------------------------------------------------

    #[test]
    fn end_of_life_centos_releases_are_named_with_their_dates() {
        let f = eol_os(&centos7()).unwrap();
        assert_eq!(
            (f.id.as_str(), f.severity),
            ("server.eol_os", Severity::Warning)
        );
        assert!(
            f.message.render(Lang::En).contains("CentOS Linux 7")
                && f.message.render(Lang::En).contains("2024-06-30")
        );
        assert!(f
            .fix
            .as_ref()
            .unwrap()
            .render(Lang::En)
            .contains("centos-vault/7.9.2009/"));
        assert!(f
            .fix
            .unwrap()
            .render(Lang::En)
            .contains("Rocky Linux or AlmaLinux"));

        let stream8 = ServerInfo {
            os_version: "8".into(),
            os_name: "CentOS Stream 8".into(),
            ..centos7()
        };
        assert!(eol_os(&stream8)
            .unwrap()
            .message
            .render(Lang::En)
            .contains("2024-05-31"));
        let linux8 = ServerInfo {
            os_version: "8".into(),
            os_name: "CentOS Linux 8".into(),
            ..centos7()
        };
        assert!(eol_os(&linux8)
            .unwrap()
            .message
            .render(Lang::En)
            .contains("2021-12-31"));
        let stream9 = ServerInfo {
            os_version: "9".into(),
            os_name: "CentOS Stream 9".into(),
            ..centos7()
        };
        assert!(eol_os(&stream9).is_none());
        assert!(eol_os(&rocky9()).is_none());
    }

    // --- all together ---------------------------------------------------------------------

    #[test]
    fn a_server_without_the_centos_tools_gets_no_findings_from_few_commands() {
        let (_d, p) = project(TOML);
        let fake = Fake::new(&[
            ("docker --version", 0, "Docker version 20.10.24, build 297e128\n"),
            (PS, 0, ""),
            ("ss -ltun", 0, "Netid State Recv-Q Send-Q Local Address:Port Peer Address:Port\n"),
            ("docker info --format '{{.DockerRootDir}}'", 0, "/var/lib/docker\n"),
            ("df -Pk /var/lib/docker", 0, "Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/vda 100 1 52428800 1% /\n"),
            ("readlink /etc/localtime", 0, "/usr/share/zoneinfo/Etc/UTC\n"),
            ("cat /proc/meminfo", 0, "MemTotal: 8388608 kB\nMemAvailable: 4194304 kB\n"),
        ]);
        let found = check(&fake, &rocky9(), &p, Some(Platform::Amd64));
        assert!(found.is_empty(), "{found:#?}");
        assert!(fake.asked().len() <= 12, "{:#?}", fake.asked());
    }
}
