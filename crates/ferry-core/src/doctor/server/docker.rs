//! The Docker engine on the server: Podman standing in for it, or a version too old.

use super::probe::{Answer, Probe};
use crate::adapters::server::ServerInfo;
use crate::doctor::finding::Finding;
use crate::formats::config::Project;
use crate::msg;

pub(super) fn docker_engine(
    probe: &Probe,
    server: &ServerInfo,
    project: &Project,
) -> Option<Finding> {
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
        msg!("check-server-podman", version = answer.stdout()),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Lang;

    use crate::doctor::server::fake::*;
    use crate::doctor::Severity;

    #[test]
    fn an_old_docker_is_an_error_with_a_registry_and_a_warning_before_18_09() {
        let with_registry = TOML.replace(
            "[server]",
            "[registry]\nserver = \"r.example.com\"\nusername = \"u\"\nrepository = \"t/h\"\n\n[server]",
        );
        let (_d, p) = project(&with_registry);
        let fake = answering(&[(
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
        let fake = answering(&[("docker --version", 0, "podman version 4.4.1\n")]);
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
}
