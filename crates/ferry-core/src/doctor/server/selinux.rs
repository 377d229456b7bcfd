//! SELinux enforcing on bind mounts without a `:Z` label.

use super::probe::Probe;
use crate::adapters::remote::system;
use crate::doctor::config_edit::edit_config;
use crate::doctor::finding::{AutoFix, Finding, FixAction};
use crate::formats::config::{Project, Volume};
use crate::msg;
use std::collections::BTreeSet;
use toml_edit::DocumentMut;

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

pub(super) fn selinux_volume(probe: &Probe, project: &Project) -> Option<Finding> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Lang;

    use crate::doctor::server::fake::*;
    use crate::doctor::Severity;

    #[test]
    fn enforcing_selinux_with_unlabeled_bind_mounts_offers_z() {
        let (dir, p) = project(TOML);
        let fake = answering(&[("getenforce", 0, "Enforcing\n")]);
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
        let fake = answering(&[("getenforce", 0, "Enforcing\n")]);
        assert!(selinux_volume(&Probe { remote: &fake }, &loaded).is_none());
        assert!(fake.ran().is_empty());
    }

    #[test]
    fn selinux_permissive_disabled_or_missing_says_nothing() {
        let (_d, p) = project(TOML);
        for answer in [
            answering(&[("getenforce", 0, "Permissive\n")]),
            answering(&[("getenforce", 0, "Disabled\n")]),
            answering(&[]),
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
        let fake = answering(&[("getenforce", 0, "Enforcing\n")]);
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
}
