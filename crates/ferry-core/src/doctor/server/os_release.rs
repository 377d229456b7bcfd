//! An end-of-life OS release on the server.

use crate::adapters::server::ServerInfo;
use crate::doctor::finding::Finding;
use crate::msg;

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

pub(super) fn eol_os(server: &ServerInfo) -> Option<Finding> {
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
    use super::*;
    use crate::catalog::Lang;

    use crate::doctor::server::fake::*;
    use crate::doctor::Severity;

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
}
