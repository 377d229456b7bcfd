//! What a folder holds for Ferry: its Go module, its own Dockerfile or the one Ferry would
//! generate, and an existing `ferry.toml` (the app's "open a project" page).

use crate::formats::config::{self, Config, Project};
use crate::formats::dockerfile::{self, DockerfileSpec};
use crate::formats::gomod;
use crate::plan::dockerfile_spec;
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectInfo {
    /// The folder looked at.
    pub dir: String,
    /// go.mod's module path.
    pub module: Option<String>,
    /// go.mod's `go` line.
    pub go_version: Option<String>,
    /// The package Ferry builds (`.` or `./cmd/<name>`).
    pub main_package: Option<String>,
    /// The build context has a Dockerfile (its own, or the one named in ferry.toml).
    pub has_dockerfile: bool,
    /// The Dockerfile Ferry would generate; `None` when the project has its own or the Go
    /// module cannot be used (then `go_error` says why).
    pub generated_dockerfile: Option<String>,
    /// The folder's ferry.toml, when there is one and it loads.
    pub config: Option<Config>,
    /// Why the folder's ferry.toml does not load.
    pub config_error: Option<String>,
    /// Why the Go module cannot be built (no go.mod, no or several main packages...).
    pub go_error: Option<String>,
}

/// Looks at `dir`. Never fails: each problem is reported in its own field.
pub fn project(dir: &Path) -> ProjectInfo {
    let config_path = dir.join(config::FILE_NAME);
    let (project, config_error) = if config_path.is_file() {
        match Project::load(&config_path) {
            Ok(p) => (Some(p), None),
            Err(e) => (None, Some(e.to_string())),
        }
    } else {
        (None, None)
    };
    // The build context and the settings that shape the Dockerfile: ferry.toml's, else the
    // defaults of a new project in this folder.
    let context = project
        .as_ref()
        .map_or_else(|| dir.to_path_buf(), Project::context_dir);
    let app = project.as_ref().map(|p| &p.config.app);
    let has_dockerfile = match app.and_then(|a| a.dockerfile.as_deref()) {
        Some(named) => context.join(named).is_file(),
        None => context.join("Dockerfile").is_file(),
    };
    let (module, go_error) =
        match gomod::detect_with_main(&context, app.and_then(|a| a.main.as_deref())) {
            Ok(m) => (Some(m), None),
            Err(e) => (None, Some(e.to_string())),
        };
    let generated_dockerfile = module.as_ref().filter(|_| !has_dockerfile).map(|m| {
        let spec = match &project {
            Some(p) => dockerfile_spec(&p.config, m, true),
            None => DockerfileSpec::for_module(m),
        };
        dockerfile::generate(&spec)
    });
    ProjectInfo {
        dir: dir.display().to_string(),
        module: module.as_ref().map(|m| m.module.clone()),
        go_version: module.as_ref().and_then(|m| m.go_version.clone()),
        main_package: module.as_ref().map(|m| m.main_package.clone()),
        has_dockerfile,
        generated_dockerfile,
        config: project.map(|p| p.config),
        config_error,
        go_error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, path: &str, text: &str) {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn a_go_module_without_dockerfile_gets_a_preview() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "go.mod",
            "module example.com/shop\n\ngo 1.22.3\n",
        );
        write(
            dir.path(),
            "cmd/api/main.go",
            "package main\n\nfunc main() {}\n",
        );
        let info = project(dir.path());
        assert_eq!(info.module.as_deref(), Some("example.com/shop"));
        assert_eq!(info.go_version.as_deref(), Some("1.22.3"));
        assert_eq!(info.main_package.as_deref(), Some("./cmd/api"));
        assert!(!info.has_dockerfile);
        let df = info.generated_dockerfile.unwrap();
        assert!(df.contains("golang:1.22 AS build"), "{df}");
        assert!(df.contains("./cmd/api"), "{df}");
        assert_eq!(
            (info.config, info.config_error, info.go_error),
            (None, None, None)
        );
    }

    #[test]
    fn the_projects_own_dockerfile_and_config_are_used() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "go.mod", "module example.com/hello\n");
        write(dir.path(), "main.go", "package main\n\nfunc main() {}\n");
        write(dir.path(), "Dockerfile", "FROM scratch\n");
        write(
            dir.path(),
            "ferry.toml",
            "[app]\nname = \"hello\"\n[server]\nhost = \"h\"\nuser = \"u\"\n",
        );
        let info = project(dir.path());
        assert!(info.has_dockerfile);
        assert_eq!(info.generated_dockerfile, None);
        assert_eq!(info.config.unwrap().app.name.as_str(), "hello");
    }

    #[test]
    fn problems_are_reported_not_thrown() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "ferry.toml", "[app]\nname = \"a b\"\n");
        let info = project(dir.path());
        assert!(info.config.is_none());
        let config_error = info.config_error.unwrap();
        assert!(
            config_error.contains("not a valid container name"),
            "{config_error}"
        );
        assert!(info.go_error.unwrap().contains("no go.mod"));
        assert_eq!(info.module, None);
        assert_eq!(info.generated_dockerfile, None);
    }
}

/// What this machine can build images with besides the Docker engine (which `docker_info`
/// asks): for the wizard's first step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BuildTools {
    /// The Go toolchain Ferry's Go builder would run; `None` when there is none.
    pub go: Option<crate::adapters::go::GoToolchain>,
    /// Docker is installed (CLI or Docker Desktop), running or not.
    pub docker_installed: bool,
}

/// Looks for the Go toolchain and for Docker (runs `go env`: call it on a blocking thread).
pub fn build_tools() -> BuildTools {
    BuildTools {
        go: crate::adapters::go::find(),
        docker_installed: crate::adapters::docker::installed(),
    }
}
