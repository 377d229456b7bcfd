//! How well the server can take images over SSH: without Python, changed layers go whole
//! instead of as small deltas.

use super::probe::Probe;
use crate::adapters::remote::ship;
use crate::adapters::server::ServerInfo;
use crate::doctor::finding::Finding;
use crate::formats::config::Project;
use crate::msg;

pub(super) fn no_python(probe: &Probe, server: &ServerInfo, project: &Project) -> Option<Finding> {
    if project.config.registry.is_some() {
        return None;
    }
    let answer = probe.run(&ship::python())?;
    if answer.out.status != 1 {
        return None;
    }
    Some(
        Finding::info("server.no_python", msg!("check-server-no_python"))
            .evidence(format!(
                "$ python3 -c 'import sys, bz2, zlib, hashlib, tarfile, json, binascii' (also {}): exit {}",
                "/usr/libexec/platform-python, python, python2", answer.out.status
            ))
            .fix(msg!("check-server-no_python-fix", command = install_command(server))),
    )
}

/// The command that installs a Python the assembler can use, for this server's OS.
fn install_command(server: &ServerInfo) -> String {
    let major = server.os_version.split('.').next().unwrap_or("");
    match server.os_id.as_str() {
        "centos" | "rhel" if major == "7" => "sudo yum install -y python3",
        "debian" | "ubuntu" | "raspbian" | "linuxmint" => "sudo apt-get install -y python3",
        "alpine" => "sudo apk add python3",
        "opensuse-leap" | "sles" => "sudo zypper install -y python3",
        _ => "sudo dnf install -y python3",
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Lang;
    use crate::doctor::server::fake::*;
    use crate::doctor::Severity;

    fn probe_line() -> String {
        ship::python().shell()
    }

    #[test]
    fn a_server_without_python_is_told_the_command_for_its_os() {
        let (_d, p) = project(TOML);
        let fake = answering(&[(&probe_line(), 1, "")]);
        let f = no_python(&Probe { remote: &fake }, &rocky9(), &p).unwrap();
        assert_eq!(f.severity, Severity::Info);
        let fix = f.fix.as_ref().unwrap();
        assert!(
            fix.render(Lang::En).contains("sudo dnf install -y python3"),
            "{}",
            fix.render(Lang::En)
        );
        assert!(fix.render(Lang::Zh).contains("sudo dnf install -y python3"));
        let debian = ServerInfo {
            os_id: "debian".into(),
            os_version: "12".into(),
            ..centos7()
        };
        assert_eq!(install_command(&debian), "sudo apt-get install -y python3");
        assert_eq!(install_command(&centos7()), "sudo yum install -y python3");
    }

    #[test]
    fn a_server_with_python_or_a_registry_route_gets_nothing() {
        let (_d, p) = project(TOML);
        let fake = answering(&[(&probe_line(), 0, "python /usr/bin/python3 3.9\n")]);
        assert!(no_python(&Probe { remote: &fake }, &rocky9(), &p).is_none());
        let with_registry = format!(
            "{TOML}\n[registry]\nserver = \"reg.example.com\"\nusername = \"u\"\nrepository = \"t/h\"\n"
        );
        let (_d, p) = project(&with_registry);
        let fake = answering(&[(&probe_line(), 1, "")]);
        assert!(no_python(&Probe { remote: &fake }, &rocky9(), &p).is_none());
    }
}
