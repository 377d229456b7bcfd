//! The deploy plan: every decision of a deploy, made once from the project, what the server is
//! and what the local engine is, before anything is built or changed. `deploy` executes it, the
//! doctor reads its decisions from here, `ferry deploy --plan` prints it.
//!
//! Computing a plan is pure: the project's files it depends on (which Dockerfile there is, the
//! Go module) are read beforehand by [`read_sources`], the only function here that does IO.

use crate::adapters::docker::EngineInfo;
use crate::adapters::remote::RunSpec;
use crate::adapters::secret::Secret;
use crate::adapters::server::{ServerError, ServerInfo};
use crate::catalog::Msg;
use crate::flows::release::Gate;
use crate::formats::config::{Config, Platform, Project, Strategy};
use crate::formats::dockerfile::{self, DockerfileSpec};
use crate::formats::gomod::{self, GoModule};
use crate::msg;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// Why no plan can be made: the project or the engine cannot give the server a release.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error(transparent)]
    GoMod(#[from] gomod::GoModError),
    #[error(transparent)]
    Server(#[from] ServerError),
    #[error("{}", self.message())]
    MissingDockerfile(String),
    #[error("{}", self.message())]
    PlatformMismatch {
        wanted: String,
        host: String,
        machine: String,
        server_platform: String,
    },
    #[error("{}", self.message())]
    WindowsContainers,
}

impl PlanError {
    /// What went wrong and what to do, from the catalog.
    pub fn message(&self) -> Msg {
        match self {
            PlanError::GoMod(e) => e.message(),
            PlanError::Server(e) => e.message(),
            PlanError::MissingDockerfile(path) => msg!("error-missing-dockerfile", path = path),
            PlanError::PlatformMismatch {
                wanted,
                host,
                machine,
                server_platform,
            } => msg!(
                "error-platform-mismatch",
                wanted = wanted,
                host = host,
                machine = machine,
                server_platform = server_platform
            ),
            PlanError::WindowsContainers => msg!("error-windows-containers"),
        }
    }
}

pub mod ship;

#[cfg(test)]
mod cycles;
#[cfg(test)]
mod tests;

/// Where the generated Dockerfile goes inside the build context.
pub const GENERATED_DOCKERFILE: &str = "Dockerfile.ferry";

/// What a deploy will do, and with what.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub app: String,
    /// The release's version (the time the plan was made).
    pub version: String,
    pub platform: TargetPlatform,
    pub dockerfile: DockerfilePlan,
    pub build: BuildPlan,
    pub transport: Transport,
    pub container: ContainerPlan,
    pub health: HealthGate,
    /// Where the app answers, when it publishes a port.
    pub url: Option<String>,
}

/// The platform the image is built for, and why that one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetPlatform {
    pub platform: Platform,
    pub reason: PlatformReason,
    /// The server's `uname -m`.
    pub server_machine: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlatformReason {
    /// `[app] platform` names it (and the server runs it).
    Configured,
    /// `platform = "auto"`: the server's architecture.
    ServerArch,
}

/// The Dockerfile the build uses.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum DockerfilePlan {
    /// The project's own, relative to the build context.
    Own { path: String },
    /// Generated for the Go module, added to the build context as `path`.
    Generated {
        path: String,
        module: String,
        main_package: String,
        builder_image: String,
        runtime_image: String,
        text: String,
    },
}

impl DockerfilePlan {
    /// Its path in the build context.
    pub fn path(&self) -> &str {
        match self {
            DockerfilePlan::Own { path } | DockerfilePlan::Generated { path, .. } => path,
        }
    }

    /// The files the build context gets on top of the project's: the generated Dockerfile.
    pub fn extra_files(&self) -> Vec<(String, Vec<u8>)> {
        match self {
            DockerfilePlan::Own { .. } => Vec::new(),
            DockerfilePlan::Generated { path, text, .. } => {
                vec![(path.clone(), text.clone().into_bytes())]
            }
        }
    }
}

/// The build request, minus the build context's bytes. Build args are plain `ferry.toml`
/// values (not secrets), so they are shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BuildPlan {
    pub platform: Platform,
    /// The image's tag in the local engine.
    pub tag: String,
    pub dockerfile: String,
    pub build_args: BTreeMap<String, String>,
    pub labels: BTreeMap<String, String>,
}

/// How the image reaches the server.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "via", rename_all = "snake_case")]
pub enum Transport {
    /// Pushed to `[registry]` as `image`, pulled by the server.
    Registry { image: String },
    /// Streamed over the SSH connection into the server's `docker load`.
    Ssh {},
}

/// The container the release runs in. Of `secret_env` only the names: their values come from
/// the keyring when the deploy runs and never appear in a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContainerPlan {
    pub name: String,
    pub image: String,
    pub ports: Vec<String>,
    pub env: BTreeMap<String, String>,
    pub secret_env: Vec<String>,
    pub volumes: Vec<String>,
    pub restart: String,
    pub memory: Option<String>,
    pub strategy: Strategy,
    /// How many releases stay on the server after the switch.
    pub keep_releases: usize,
    pub labels: BTreeMap<String, String>,
}

impl ContainerPlan {
    /// `docker run` for this container, with the values of its `secret_env`.
    pub fn run_spec(&self, secret_env: Vec<(String, Secret)>) -> RunSpec {
        let pairs = |m: &BTreeMap<String, String>| -> Vec<(String, String)> {
            m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
        };
        RunSpec {
            name: self.name.clone(),
            image: self.image.clone(),
            labels: pairs(&self.labels),
            ports: self.ports.clone(),
            env: pairs(&self.env),
            volumes: self.volumes.clone(),
            restart: Some(self.restart.clone()),
            memory: self.memory.clone(),
            secret_env,
        }
    }
}

/// What a release must pass before it replaces the running one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HealthGate {
    /// HTTP path to GET; none: the container must stay up.
    pub path: Option<String>,
    /// The published (server) port checked.
    pub port: Option<u16>,
    /// The address that port is published on, when not all of them.
    pub host_ip: Option<String>,
    /// The container's own port behind `port`.
    pub container_port: Option<u16>,
    pub timeout_secs: u64,
}

impl HealthGate {
    pub fn gate(&self) -> Gate {
        let mut gate = Gate::new(
            self.path.clone(),
            self.port,
            Duration::from_secs(self.timeout_secs),
        );
        gate.host_ip = self.host_ip.clone();
        gate.container_port = self.container_port.or(self.port);
        gate
    }
}

/// What the plan needs from the project's files.
#[derive(Debug, Clone, PartialEq)]
pub enum Sources {
    /// The project's own Dockerfile, relative to the build context.
    OwnDockerfile(String),
    /// No Dockerfile: one is generated for this Go module.
    GoModule(GoModule),
}

/// Reads which Dockerfile the build will use: `[app] dockerfile`, else the context's own
/// `Dockerfile`, else the Go module to generate one for.
pub fn read_sources(project: &Project) -> Result<Sources, PlanError> {
    let app = &project.config.app;
    let context = project.context_dir();
    if let Some(df) = &app.dockerfile {
        if !context.join(df).is_file() {
            return Err(PlanError::MissingDockerfile(df.clone()));
        }
        return Ok(Sources::OwnDockerfile(df.clone()));
    }
    if context.join("Dockerfile").is_file() {
        return Ok(Sources::OwnDockerfile("Dockerfile".to_string()));
    }
    Ok(Sources::GoModule(gomod::detect_with_main(
        &context,
        app.main.as_deref(),
    )?))
}

/// The plan of a deploy of `project` as release `version`, to the server `server`, built by
/// the local engine `engine`.
pub fn compute(
    project: &Project,
    sources: &Sources,
    server: &ServerInfo,
    engine: &EngineInfo,
    version: &str,
    machine: &str,
) -> Result<Plan, PlanError> {
    let config = &project.config;
    let platform = platform_choice(project, server)?;
    let dockerfile = dockerfile_plan(config, sources, engine)?;
    let local_tag = format!("{}:{version}", config.app.name);
    let build = build_plan(config, platform.platform, &local_tag, dockerfile.path());
    let (transport, image) = match &config.registry {
        Some(registry) => {
            let image = format!("{}:{version}", registry.image());
            (
                Transport::Registry {
                    image: image.clone(),
                },
                image,
            )
        }
        None => (Transport::Ssh {}, local_tag),
    };
    Ok(Plan {
        app: config.app.name.to_string(),
        version: version.to_string(),
        platform,
        dockerfile,
        build,
        transport,
        container: container(config, &image, version, machine),
        health: health(config),
        url: url(project),
    })
}

/// The platform to build for: the configured one, or the server's. A configured platform the
/// server cannot run stops the deploy before anything is built.
pub fn target_platform(project: &Project, server: &ServerInfo) -> Result<Platform, PlanError> {
    Ok(platform_choice(project, server)?.platform)
}

fn platform_choice(project: &Project, server: &ServerInfo) -> Result<TargetPlatform, PlanError> {
    let wanted = project.config.app.platform;
    let server_platform = server
        .platform
        .ok_or_else(|| ServerError::UnknownArch(server.machine.clone()))?;
    let reason = match wanted {
        Platform::Auto => PlatformReason::ServerArch,
        w if w == server_platform => PlatformReason::Configured,
        _ => {
            return Err(PlanError::PlatformMismatch {
                wanted: wanted.to_string(),
                host: project.config.server.host.clone(),
                machine: server.machine.clone(),
                server_platform: server_platform.to_string(),
            })
        }
    };
    Ok(TargetPlatform {
        platform: server_platform,
        reason,
        server_machine: server.machine.clone(),
    })
}

/// The Dockerfile to build with. A Windows-containers engine cannot build a Linux image at all.
pub fn dockerfile_plan(
    config: &Config,
    sources: &Sources,
    engine: &EngineInfo,
) -> Result<DockerfilePlan, PlanError> {
    if engine.os_type == "windows" {
        return Err(PlanError::WindowsContainers);
    }
    Ok(match sources {
        Sources::OwnDockerfile(path) => DockerfilePlan::Own { path: path.clone() },
        Sources::GoModule(module) => {
            let spec = dockerfile_spec(config, module, engine.buildkit_available);
            DockerfilePlan::Generated {
                path: GENERATED_DOCKERFILE.to_string(),
                module: module.module.clone(),
                main_package: spec.main_package.clone(),
                text: dockerfile::generate(&spec),
                builder_image: spec.builder_image,
                runtime_image: spec.runtime_image,
            }
        }
    })
}

/// The Dockerfile Ferry generates for `module` with `config`'s images and ports.
pub fn dockerfile_spec(config: &Config, module: &GoModule, build_cache: bool) -> DockerfileSpec {
    let app = &config.app;
    let defaults = DockerfileSpec::for_module(module);
    DockerfileSpec {
        builder_image: app.builder_image.clone().unwrap_or(defaults.builder_image),
        runtime_image: app.runtime_image.clone().unwrap_or(defaults.runtime_image),
        expose: config
            .container
            .ports
            .iter()
            .map(|p| p.parts().container)
            .collect(),
        build_cache,
        ..defaults
    }
}

/// The build of `tag` for `platform` with the Dockerfile at `dockerfile`.
pub fn build_plan(config: &Config, platform: Platform, tag: &str, dockerfile: &str) -> BuildPlan {
    BuildPlan {
        platform,
        tag: tag.to_string(),
        dockerfile: dockerfile.to_string(),
        build_args: config.app.build_args.clone(),
        labels: BTreeMap::from([("ferry.app".to_string(), config.app.name.to_string())]),
    }
}

/// The release's container; `machine` (the deploying computer's name) goes into its labels.
fn container(config: &Config, image: &str, version: &str, machine: &str) -> ContainerPlan {
    let c = &config.container;
    let app = config.app.name.to_string();
    ContainerPlan {
        name: app.clone(),
        image: image.to_string(),
        ports: c.ports.iter().map(|p| p.to_string()).collect(),
        env: c.env.clone(),
        secret_env: c.secret_env.clone(),
        volumes: c.volumes.iter().map(|v| v.to_string()).collect(),
        restart: c.restart.as_str().to_string(),
        memory: c.memory.as_ref().map(|m| m.to_string()),
        strategy: c.strategy,
        keep_releases: c.keep_releases,
        labels: BTreeMap::from([
            ("ferry.app".to_string(), app),
            ("ferry.version".to_string(), version.to_string()),
            ("ferry.deployed-by".to_string(), machine.to_string()),
        ]),
    }
}

fn health(config: &Config) -> HealthGate {
    let port = config.health_port();
    // The published mapping behind the health port: where it is published, and the
    // container's own port (what a candidate without published ports is checked on).
    let mapping = port.and_then(|port| {
        config
            .container
            .ports
            .iter()
            .map(|p| p.parts())
            .find(|p| p.host == port)
    });
    HealthGate {
        path: config.health.as_ref().and_then(|h| h.path.clone()),
        port,
        host_ip: mapping.as_ref().and_then(|m| m.host_ip.clone()),
        container_port: mapping.map(|m| m.container).or(port),
        timeout_secs: config.health.as_ref().map_or(30, |h| h.timeout_secs),
    }
}

/// The health gate of a release of this project (also a rollback's).
pub fn health_gate(project: &Project) -> Gate {
    health(&project.config).gate()
}

/// Where the app answers: its first published port on the server.
fn url(project: &Project) -> Option<String> {
    let c = &project.config;
    let port = c.container.ports.first()?.parts();
    let host = port.host_ip.unwrap_or_else(|| c.server.host.clone());
    Some(format!("http://{host}:{}/", port.host))
}
