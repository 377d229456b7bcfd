//! Checks of the build context (size, line endings, encodings) and `go.mod`.

use super::finding::Finding;
use crate::config::{Platform, Project};

/// Findings about the build context and the Go module.
pub fn check(project: &Project, target: Option<Platform>) -> Vec<Finding> {
    let _ = (project, target);
    Vec::new()
}
