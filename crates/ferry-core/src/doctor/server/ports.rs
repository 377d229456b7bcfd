//! A published port another program or container already holds.

use super::probe::{Answer, Probe};
use super::published;
use crate::adapters::remote::system;
use crate::adapters::server::ServerInfo;
use crate::catalog::Msg;
use crate::doctor::finding::Finding;
use crate::formats::config::{PortParts, Project};
use crate::msg;

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

pub(super) fn port_in_use(probe: &Probe, server: &ServerInfo, project: &Project) -> Vec<Finding> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Lang;

    use crate::doctor::server::fake::*;
    use crate::doctor::Severity;

    const SS: &str = "Netid State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n\
                      udp   UNCONN 0      0            0.0.0.0:68        0.0.0.0:*\n\
                      tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*\n\
                      tcp   LISTEN 0      4096         0.0.0.0:8080      0.0.0.0:*\n\
                      tcp   LISTEN 0      4096            [::]:8080         [::]:*\n";

    #[test]
    fn a_port_held_by_another_program_is_an_error_with_the_ss_line() {
        let (_d, p) = project(TOML);
        let fake = answering(&[(PS, 0, ""), ("ss -ltun", 0, SS)]);
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
        let fake = answering(&[
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
        let fake = answering(&[
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
        let fake = answering(&[(PS, 0, ""), ("ss -ltun", 0, free.as_str())]);
        assert!(port_in_use(&Probe { remote: &fake }, &centos7(), &p).is_empty());
        // Docker's list failed: the app's own release cannot be told apart, so no guess.
        let fake = answering(&[(PS, 1, ""), ("ss -ltun", 0, SS)]);
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
        let pinned = crate::formats::config::parse_port_mapping("10.0.0.5:25:25").unwrap();
        assert!(conflicts(
            &netstat[0],
            &crate::formats::config::parse_port_mapping("8080:80").unwrap()
        ));
        assert!(
            !conflicts(&netstat[1], &pinned),
            "different addresses may share a port"
        );
    }
}
