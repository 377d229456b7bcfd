//! firewalld not opening a published port.

use super::probe::{Answer, Probe};
use super::published;
use crate::adapters::remote::system;
use crate::doctor::finding::{AutoFix, Finding, FixAction, ServerCommand};
use crate::formats::config::{PortParts, Project};
use crate::msg;

fn loopback(ip: &str) -> bool {
    ip.starts_with("127.") || ip == "::1" || ip == "localhost"
}

pub(super) fn firewalld_port_closed(probe: &Probe, project: &Project) -> Option<Finding> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Lang;

    use crate::doctor::server::fake::*;
    use crate::doctor::Severity;

    #[test]
    fn a_port_firewalld_does_not_open_is_opened_on_request() {
        let (_d, p) = project(TOML);
        let fake = answering(&[
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
        let open = answering(&[
            ("firewall-cmd --state", 0, "running\n"),
            ("firewall-cmd --query-port=8080/tcp", 0, "yes\n"),
        ]);
        let stopped = answering(&[("firewall-cmd --state", 252, "not running\n")]);
        for fake in [open, stopped, answering(&[])] {
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
        let fake = answering(&[
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
        assert!(!fake.ran().iter().any(|c| c.contains("9090")));
    }
}
