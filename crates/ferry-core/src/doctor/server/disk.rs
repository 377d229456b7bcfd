//! Little free disk where the server's Docker keeps images.

use super::probe::{Answer, Probe};
use crate::adapters::remote::system;
use crate::adapters::server::ServerInfo;
use crate::doctor::finding::Finding;
use crate::msg;

/// Below this much free space where the server's Docker keeps images, a pull or load fails.
const DISK_ERROR_BYTES: u64 = 1 << 30;
const DISK_WARNING_BYTES: u64 = 3 << 30;

/// Available KiB in `df -Pk` output (the fourth column of its second line).
fn parse_df_available(text: &str) -> Option<u64> {
    text.lines().nth(1)?.split_whitespace().nth(3)?.parse().ok()
}

pub(super) fn low_disk(probe: &Probe, server: &ServerInfo) -> Option<Finding> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Lang;

    use crate::doctor::server::fake::*;
    use crate::doctor::Severity;

    fn df_fake(kib: u64) -> FakeServer {
        let df = format!(
            "Filesystem     1024-blocks    Used Available Capacity Mounted on\n\
             /dev/vda1         41152736 3000000 {kib}      99% /\n"
        );
        answering(&[
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
                remote: &answering(&[])
            },
            &centos7()
        )
        .is_none());
    }
}
