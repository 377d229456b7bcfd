//! Checks of the Dockerfile the build will use (the project's own, or the generated one).

use super::finding::Finding;
use crate::config::{Platform, Project};

/// Findings about the Dockerfile; `target` is the platform the build is for, when known.
pub fn check(project: &Project, target: Option<Platform>) -> Vec<Finding> {
    let _ = (project, target);
    Vec::new()
}
