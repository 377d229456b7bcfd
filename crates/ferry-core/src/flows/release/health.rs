//! The health gate: when a release counts as healthy, and waiting for it.

use super::Stop;
use crate::adapters::remote::{system, DockerCli};
use crate::adapters::server::{inspect, Remote};
use crate::diagnose::GateFailure;
use crate::events::{Events, Step};
use std::time::{Duration, Instant};

/// When a release counts as healthy.
#[derive(Debug, Clone)]
pub struct Gate {
    /// HTTP path to GET; `None` means "stays up for `settle`".
    pub path: Option<String>,
    /// The published (server) port to check.
    pub port: Option<u16>,
    /// The address the port is published on, when not all of them.
    pub host_ip: Option<String>,
    /// The container's own port behind `port` (what a candidate without published ports is
    /// checked on).
    pub container_port: Option<u16>,
    pub timeout: Duration,
    pub settle: Duration,
    pub poll: Duration,
}

impl Gate {
    /// Where the published port answers on the server: the address it is published on, or
    /// 127.0.0.1 when it is published on all of them.
    pub fn published_addr(&self) -> String {
        match self.host_ip.as_deref() {
            None | Some("") | Some("0.0.0.0") | Some("::") => "127.0.0.1".to_string(),
            Some(ip) => ip.to_string(),
        }
    }

    pub fn new(path: Option<String>, port: Option<u16>, timeout: Duration) -> Gate {
        Gate {
            path,
            port,
            host_ip: None,
            container_port: port,
            timeout,
            settle: timeout.min(Duration::from_secs(5)),
            poll: Duration::from_millis(200),
        }
    }
}

/// Where the gate's HTTP check goes.
pub(super) enum Probe {
    /// The container's own address on its Docker network (a candidate has no published port).
    Container { port: Option<u16> },
    /// The published port on the server.
    Published { addr: String, port: Option<u16> },
}

impl Probe {
    pub fn candidate(gate: &Gate) -> Probe {
        Probe::Container {
            port: gate.container_port,
        }
    }

    pub fn published(gate: &Gate) -> Probe {
        Probe::Published {
            addr: gate.published_addr(),
            port: gate.port,
        }
    }
}

/// Waits until container `name` passes the gate. The outer error stops the switch (a server
/// error, a cancel: `watch` is asked between polls); the inner one is the release failing.
pub(super) fn wait_healthy(
    remote: &dyn Remote,
    docker: DockerCli,
    name: &str,
    probe: &Probe,
    gate: &Gate,
    events: &Events,
    watch: &dyn Fn() -> Result<(), Stop>,
) -> Result<Result<(), GateFailure>, Stop> {
    let start = Instant::now();
    let mut last_answer = String::from("no answer yet");
    let http = gate.path.as_deref().filter(|_| gate.port.is_some());
    let said = match (http, probe) {
        (Some(path), Probe::Published { addr, port }) => crate::msg!(
            "log-waiting-for-http",
            url = format!("http://{addr}:{}{path}", port.unwrap_or_default())
        ),
        (Some(path), Probe::Container { port }) => crate::msg!(
            "log-waiting-for-http",
            url = format!("http://<container>:{}{path}", port.unwrap_or_default())
        ),
        _ => crate::msg!("log-waiting-for-up", secs = gate.settle.as_secs()),
    };
    events.say(Step::Health, said);
    loop {
        watch()?;
        let Some(state) = inspect(remote, docker, name)? else {
            return Ok(Err(GateFailure::Exited));
        };
        if state.restart_count > 0 || state.restarting {
            return Ok(Err(GateFailure::RestartLoop));
        }
        if !state.running {
            return Ok(Err(GateFailure::Exited));
        }
        let addr_port = match probe {
            Probe::Published { addr, port } => port.map(|p| (addr.clone(), p)),
            Probe::Container { port } => port.zip(state.ip.clone()).map(|(p, ip)| (ip, p)),
        };
        match (http, addr_port) {
            (Some(path), Some((addr, port))) => match http_check(remote, &addr, port, path) {
                Ok(code) if (200..400).contains(&code) => {
                    events.log(Step::Health, format!("HTTP {code} from {path}"));
                    return Ok(Ok(()));
                }
                Ok(code) => last_answer = format!("HTTP {code}"),
                Err(e) => last_answer = e,
            },
            (Some(_), None) => last_answer = "the container has no address yet".to_string(),
            (None, _) if start.elapsed() >= gate.settle => return Ok(Ok(())),
            (None, _) => {}
        }
        if start.elapsed() >= gate.timeout {
            return Ok(Err(GateFailure::Timeout {
                last_answer,
                timeout_secs: gate.timeout.as_secs(),
            }));
        }
        std::thread::sleep(gate.poll);
    }
}

/// An HTTP GET through the SSH connection to `addr:port` as the server sees it; where the
/// server forbids port forwarding, through `curl` on the server.
pub fn http_check(remote: &dyn Remote, addr: &str, port: u16, path: &str) -> Result<u16, String> {
    match remote.http_get(addr, port, path, Duration::from_secs(5)) {
        Ok(code) => Ok(code),
        Err(crate::adapters::ssh::SshError::ForwardingRefused { .. }) => {
            let out = remote
                .run(&system::http_status(addr, port, path))
                .map_err(|e| e.to_string())?;
            out.stdout
                .trim()
                .parse::<u16>()
                .ok()
                .filter(|c| *c != 0)
                .ok_or_else(|| "no answer (connection refused)".to_string())
        }
        Err(e) => Err(e.to_string()),
    }
}
