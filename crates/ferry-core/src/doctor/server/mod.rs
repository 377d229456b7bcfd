//! Checks of the server, over SSH: one module per family (Docker, SELinux, firewalld, ports in
//! use, disk, time zone, memory, OS release, image transfer), run from the table [`CHECKS`].
//!
//! Every probe is a `Cmd` from `remote`, run on the session the deploy already holds. A probe
//! whose tool is missing (exit 127) or that is refused says nothing: a check that cannot run
//! reports no finding.

mod connect;
mod disk;
mod docker;
#[cfg(test)]
mod fake;
mod firewalld;
mod memory;
mod os_release;
mod ports;
mod probe;
mod selinux;
mod timezone;
mod transfer;

pub use connect::connect_failure;

use super::finding::Finding;
use crate::adapters::server::{Remote, ServerInfo};
use crate::formats::config::{Platform, PortParts, Project};
use probe::Probe;
use std::collections::BTreeSet;

/// What a server check reads: a way to probe the server, what was learned on connecting, and
/// the project.
struct Ctx<'a> {
    probe: Probe<'a>,
    server: &'a ServerInfo,
    project: &'a Project,
}

type Check = fn(&Ctx) -> Vec<Finding>;

/// Every server check, by family, in the order their findings are reported.
const CHECKS: &[(&str, Check)] = &[
    ("docker", |c| {
        docker::docker_engine(&c.probe, c.server, c.project)
            .into_iter()
            .collect()
    }),
    ("selinux", |c| {
        selinux::selinux_volume(&c.probe, c.project)
            .into_iter()
            .collect()
    }),
    ("firewalld", |c| {
        firewalld::firewalld_port_closed(&c.probe, c.project)
            .into_iter()
            .collect()
    }),
    ("ports", |c| {
        ports::port_in_use(&c.probe, c.server, c.project)
    }),
    ("disk", |c| {
        disk::low_disk(&c.probe, c.server).into_iter().collect()
    }),
    ("timezone", |c| {
        timezone::timezone_mismatch(&c.probe, c.project)
            .into_iter()
            .collect()
    }),
    ("memory", |c| {
        memory::memory_limit(&c.probe, c.project)
            .into_iter()
            .collect()
    }),
    ("os_release", |c| {
        os_release::eol_os(c.server).into_iter().collect()
    }),
    ("transfer", |c| {
        transfer::no_python(&c.probe, c.server, c.project)
            .into_iter()
            .collect()
    }),
];

/// Findings about the server; `target` is the platform the build is for, when known (the
/// architecture itself is checked in [`super::local::arch_mismatch`]).
pub fn check(
    remote: &dyn Remote,
    server: &ServerInfo,
    project: &Project,
    target: Option<Platform>,
) -> Vec<Finding> {
    let _ = target;
    let ctx = Ctx {
        probe: Probe { remote },
        server,
        project,
    };
    CHECKS.iter().flat_map(|(_, run)| run(&ctx)).collect()
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use fake::*;

    #[test]
    fn each_family_is_in_the_table_once() {
        let families: BTreeSet<&str> = CHECKS.iter().map(|(family, _)| *family).collect();
        assert_eq!(families.len(), CHECKS.len());
    }

    #[test]
    fn a_server_without_the_centos_tools_gets_no_findings_from_few_commands() {
        let (_d, p) = project(TOML);
        let fake = answering(&[
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
        assert!(fake.ran().len() <= 12, "{:#?}", fake.ran());
    }
}
