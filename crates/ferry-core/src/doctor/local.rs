//! Checks of this machine: the Docker engine, the disk it builds on, and an image already
//! built for the app.

use super::config_edit::{edit_config, set};
use super::finding::{AutoFix, Finding, FixAction, Text};
use crate::config::{Platform, Project};
use crate::docker::{DockerError, Engine, EngineInfo};
use crate::server::ServerInfo;
use crate::Error;

/// Below this much free space a Go build (builder image, module and build caches) fails.
const DISK_ERROR_BYTES: u64 = 1 << 30;
const DISK_WARNING_BYTES: u64 = 3 << 30;

pub fn unreachable(e: &DockerError) -> Finding {
    Finding::error(
        "local.docker_unreachable",
        e.to_string(),
        format!("无法连接本机的 Docker：{e}"),
    )
    .fix(
        "Start Docker Desktop (or the docker service) and run the checks again",
        "启动 Docker Desktop（或 docker 服务）后重新检查",
    )
}

/// The engine's mode and BuildKit, and the free disk where it keeps images.
pub async fn check(engine: &Engine) -> Vec<Finding> {
    let info = match engine.info().await {
        Ok(info) => info,
        Err(e) => {
            return vec![Finding::error(
                "local.docker_error",
                e.to_string(),
                format!("本机 Docker 出错：{e}"),
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
            "Docker Desktop runs Windows containers; Ferry builds Linux images",
            "Docker Desktop 当前是 Windows 容器模式；Ferry 构建的是 Linux 镜像",
        )
        .evidence(format!(
            "docker version: OSType {}, Docker {}",
            info.os_type, info.version
        ))
        .fix(
            "In Docker Desktop's tray menu choose \"Switch to Linux containers...\"",
            "在 Docker Desktop 托盘菜单中选择 \"Switch to Linux containers...\"",
        )];
    }
    if info.buildkit_available {
        return Vec::new();
    }
    vec![Finding::warning(
        "local.no_buildkit",
        format!(
            "Docker {} has no BuildKit: only {} images can be built",
            info.version,
            info.native_platform()
        ),
        format!(
            "Docker {} 不支持 BuildKit：只能构建 {} 镜像",
            info.version,
            info.native_platform()
        ),
    )
    .evidence(format!("docker version: API {}", info.api_version))
    .fix(
        "Update Docker (18.09 or newer) to build for other architectures",
        "升级 Docker（18.09 或更新）才能为其他架构构建",
    )]
}

/// A finding when `free` bytes at `path` are too few to build.
pub fn disk(path: &str, free: u64) -> Option<Finding> {
    let gib = free as f64 / (1u64 << 30) as f64;
    let evidence = format!("{path}: {gib:.1} GiB free");
    let fix = (
        "Free disk space: `docker system prune` removes stopped containers, unused images and \
         the build cache",
        "清理磁盘空间：`docker system prune` 会删除已停止的容器、无用的镜像和构建缓存",
    );
    let finding = if free < DISK_ERROR_BYTES {
        Finding::error(
            "local.low_disk",
            format!("only {gib:.1} GiB free where Docker builds: the build will fail"),
            format!("Docker 构建目录只剩 {gib:.1} GiB 空间：构建会失败"),
        )
    } else if free < DISK_WARNING_BYTES {
        Finding::warning(
            "local.low_disk",
            format!("only {gib:.1} GiB free where Docker builds: a Go build may run out"),
            format!("Docker 构建目录只剩 {gib:.1} GiB 空间：Go 构建可能不够用"),
        )
    } else {
        return None;
    };
    Some(finding.evidence(evidence).fix(fix.0, fix.1))
}

/// The configured platform is not the server's: offer `platform = "auto"`.
pub fn arch_mismatch(project: &Project, server: &ServerInfo, e: &Error) -> Finding {
    let auto = edit_config(project, |doc| set(doc, "app", "platform", "auto")).map(|edit| {
        AutoFix::new(
            Text::new(
                "Build for the server's CPU (platform = \"auto\")",
                "按服务器的 CPU 构建（platform = \"auto\"）",
            ),
            FixAction::EditFiles { files: vec![edit] },
        )
    });
    Finding::error(
        "server.arch_mismatch",
        e.to_string(),
        format!(
            "ferry.toml 指定的架构是 {}，但服务器是 {}：容器会报 \"exec format error\"",
            project.config.app.platform, server.machine
        ),
    )
    .evidence(format!("uname -m: {}", server.machine))
    .fix(
        "set platform = \"auto\" under [app] in ferry.toml (build for the server's CPU)",
        "在 ferry.toml 的 [app] 中设置 platform = \"auto\"（按服务器的 CPU 构建）",
    )
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
            format!(
                "the last image built for this app ({tag}) is {image_arch}, but the server is \
                 {}: run as it is, it fails with \"exec format error\"",
                server.machine
            ),
            format!(
                "上次为此应用构建的镜像（{tag}）是 {image_arch}，但服务器是 {}：直接运行会报 \"exec format error\"",
                server.machine
            ),
        )
        .evidence(format!(
            "image {tag}: linux/{image_arch}; server uname -m: {}",
            server.machine
        ))
        .fix(
            "Deploy with Ferry (it builds for the server's CPU), or build with `--platform linux/{server_arch}`"
                .replace("{server_arch}", server_arch),
            format!("用 Ferry 部署（会按服务器的 CPU 构建），或用 `--platform linux/{server_arch}` 构建"),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
            .en
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
            f.message.en.contains("exec format error"),
            "{}",
            f.message.en
        );
        assert!(f.fix.unwrap().en.contains("--platform linux/amd64"));
        assert!(image_arch("hello:1", "amd64", &ServerInfo::centos7("x86_64")).is_none());
        assert!(image_arch("hello:1", "arm64", &ServerInfo::centos7("aarch64")).is_none());
    }
}
