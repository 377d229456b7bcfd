//! Checks of this machine: the Docker engine, the disk it builds on, and an image already
//! built for the app.

use super::config_edit::{edit_config, set};
use super::finding::{AutoFix, Finding, FixAction};
use crate::adapters::docker::{DockerError, Engine, EngineInfo};
use crate::adapters::go::GoToolchain;
use crate::adapters::server::ServerInfo;
use crate::formats::config::{Builder, Platform, Project};
use crate::msg;

/// Below this much free space a Go build (builder image, module and build caches) fails.
const DISK_ERROR_BYTES: u64 = 1 << 30;
const DISK_WARNING_BYTES: u64 = 3 << 30;

pub fn unreachable(e: &DockerError) -> Finding {
    Finding::error(
        "local.docker_unreachable",
        msg!("check-local-docker_unreachable", error = e.to_string()),
    )
    .fix(msg!("check-local-docker_unreachable-fix"))
}

/// What this machine builds with when the engine does not answer (`engine`: its error) or
/// is not asked (`builder = "go"`): the Go builder when Go is here, else the engine's error.
pub fn without_engine(
    builder: Builder,
    engine: Option<&DockerError>,
    go: Option<&GoToolchain>,
) -> Finding {
    match (builder, go, engine) {
        (Builder::Go | Builder::Auto, Some(go), _) => Finding::info(
            "local.builds_with_go",
            msg!("check-local-builds_with_go", go = &go.version),
        )
        .evidence(format!("go env GOVERSION: {} ({})", go.version, go.path)),
        (Builder::Docker | Builder::Auto, _, Some(e)) => unreachable(e),
        _ => Finding::error("local.no_go", msg!("error-no-go")),
    }
}

/// The engine's mode and BuildKit, and the free disk where it keeps images.
pub async fn check(engine: &Engine) -> Vec<Finding> {
    let info = match engine.info().await {
        Ok(info) => info,
        Err(e) => {
            return vec![Finding::error(
                "local.docker_error",
                msg!("check-local-docker_error", error = e.to_string()),
            )]
        }
    };
    let mut findings = engine_mode(&info);
    if let Ok(Some(root)) = engine.root_dir().await {
        // Only an engine on this machine keeps its images on a disk we can see.
        if let Ok(free) = fs4::available_space(&root) {
            findings.extend(disk(&root, free));
        }
    }
    findings
}

/// Windows-containers mode, or an engine without BuildKit.
pub fn engine_mode(info: &EngineInfo) -> Vec<Finding> {
    if info.os_type == "windows" {
        return vec![Finding::error(
            "local.windows_containers",
            msg!("check-local-windows_containers"),
        )
        .evidence(format!(
            "docker version: OSType {}, Docker {}",
            info.os_type, info.version
        ))
        .fix(msg!("check-local-windows_containers-fix"))];
    }
    if info.buildkit_available {
        return Vec::new();
    }
    vec![Finding::warning(
        "local.no_buildkit",
        msg!(
            "check-local-no_buildkit",
            version = &info.version,
            native_platform = info.native_platform()
        ),
    )
    .evidence(format!("docker version: API {}", info.api_version))
    .fix(msg!("check-local-no_buildkit-fix"))]
}

/// A finding when `free` bytes at `path` are too few to build.
pub fn disk(path: &str, free: u64) -> Option<Finding> {
    let gib = free as f64 / (1u64 << 30) as f64;
    let evidence = format!("{path}: {gib:.1} GiB free");
    let finding = if free < DISK_ERROR_BYTES {
        Finding::error(
            "local.low_disk",
            msg!("check-local-low_disk-error", gib = format!("{gib:.1}")),
        )
    } else if free < DISK_WARNING_BYTES {
        Finding::warning(
            "local.low_disk",
            msg!("check-local-low_disk-warning", gib = format!("{gib:.1}")),
        )
    } else {
        return None;
    };
    Some(
        finding
            .evidence(evidence)
            .fix(msg!("check-local-low_disk-fix")),
    )
}

/// The configured platform is not the server's: offer `platform = "auto"`.
pub fn arch_mismatch(
    project: &Project,
    server: &ServerInfo,
    e: &crate::plan::PlanError,
) -> Finding {
    let auto = edit_config(project, |doc| set(doc, "app", "platform", "auto")).map(|edit| {
        AutoFix::new(
            msg!("check-server-arch_mismatch-autofix"),
            FixAction::EditFiles { files: vec![edit] },
        )
    });
    Finding::error(
        "server.arch_mismatch",
        // The error says it in both languages already.
        e.message(),
    )
    .evidence(format!("uname -m: {}", server.machine))
    .fix(msg!("check-server-arch_mismatch-fix"))
    .with_auto_fix(auto)
}

/// The newest image built for the app, if it would not run on the server.
pub async fn built_image(engine: &Engine, project: &Project, server: &ServerInfo) -> Vec<Finding> {
    let app = project.config.app.name.to_string();
    let Ok(Some((tag, image))) = engine.latest_app_image(&app).await else {
        return Vec::new();
    };
    image_arch(&tag, &image.architecture, server)
        .into_iter()
        .collect()
}

pub fn image_arch(tag: &str, image_arch: &str, server: &ServerInfo) -> Option<Finding> {
    let server_arch = server.platform.and_then(Platform::arch)?;
    if image_arch == server_arch {
        return None;
    }
    Some(
        Finding::warning(
            "image.arch_mismatch",
            msg!(
                "check-image-arch_mismatch",
                tag = tag,
                image_arch = image_arch,
                machine = &server.machine
            ),
        )
        .evidence(format!(
            "image {tag}: linux/{image_arch}; server uname -m: {}",
            server.machine
        ))
        .fix(msg!(
            "check-image-arch_mismatch-fix",
            server_arch = server_arch
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Lang;

    fn engine(os_type: &str, api: &str, buildkit: bool) -> EngineInfo {
        EngineInfo {
            version: "24.0.7".into(),
            api_version: api.into(),
            os_type: os_type.into(),
            arch: "amd64".into(),
            buildkit_available: buildkit,
        }
    }

    #[test]
    fn windows_containers_mode_is_an_error_and_says_how_to_switch() {
        let f = engine_mode(&engine("windows", "1.43", false));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].id, "local.windows_containers");
        assert_eq!(f[0].severity, super::super::Severity::Error);
        assert!(f[0]
            .fix
            .as_ref()
            .unwrap()
            .render(Lang::En)
            .contains("Switch to Linux containers"));
        assert!(engine_mode(&engine("linux", "1.43", true)).is_empty());
        let old = engine_mode(&engine("linux", "1.38", false));
        assert_eq!(old[0].id, "local.no_buildkit");
    }

    #[test]
    fn little_disk_is_an_error_some_is_a_warning_plenty_is_fine() {
        let e = disk("/var/lib/docker", 512 << 20).unwrap();
        assert_eq!(
            (e.id.as_str(), e.severity),
            ("local.low_disk", super::super::Severity::Error)
        );
        assert_eq!(e.evidence.as_deref(), Some("/var/lib/docker: 0.5 GiB free"));
        let w = disk("/var/lib/docker", 2 << 30).unwrap();
        assert_eq!(w.severity, super::super::Severity::Warning);
        assert!(disk("/var/lib/docker", 20 << 30).is_none());
    }

    #[test]
    fn an_arm64_image_for_an_x86_server_is_named() {
        let f = image_arch("hello:1", "arm64", &ServerInfo::centos7("x86_64")).unwrap();
        assert_eq!(f.id, "image.arch_mismatch");
        assert!(
            f.message.render(Lang::En).contains("exec format error"),
            "{}",
            f.message.render(Lang::En)
        );
        assert!(f
            .fix
            .unwrap()
            .render(Lang::En)
            .contains("--platform linux/amd64"));
        assert!(image_arch("hello:1", "amd64", &ServerInfo::centos7("x86_64")).is_none());
        assert!(image_arch("hello:1", "arm64", &ServerInfo::centos7("aarch64")).is_none());
    }
}
