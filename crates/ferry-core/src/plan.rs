//! The deploy plan: every decision of a deploy, made once from the project, what the server is
//! and what the local engine is, before anything is built or changed. `deploy` executes it, the
//! doctor reads its decisions from here, `ferry deploy --plan` prints it.
//!
//! Computing a plan is pure: the project's files it depends on (which Dockerfile there is, the
//! Go module) are read beforehand by [`read_sources`], the only function here that does IO.

use crate::adapters::docker::EngineInfo;
use crate::adapters::go::GoToolchain;
use crate::adapters::remote::RunSpec;
use crate::adapters::secret::Secret;
use crate::adapters::server::{ServerError, ServerInfo};
use crate::catalog::Msg;
use crate::flows::release::Gate;
use crate::formats::config::{Builder, Config, Platform, Project, Strategy};
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
    /// `builder = "go"` and no Go toolchain answers here.
    #[error("{}", self.message())]
    NoGo,
    /// `builder = "auto"`: no engine answers and there is no Go toolchain either.
    #[error("{}", self.message())]
    NoBuilder { engine: String },
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
            PlanError::NoGo => msg!("error-no-go"),
            PlanError::NoBuilder { engine } => msg!("error-no-builder", detail = engine),
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
    /// What builds the image (the Docker engine with a Dockerfile, or the Go toolchain).
    pub builder: BuilderPlan,
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

/// What this machine builds with: the engine that answered, the Go toolchain found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tools {
    pub engine: Option<EngineInfo>,
    pub go: Option<GoToolchain>,
}

/// What builds the image, and why that one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BuilderPlan {
    /// The local Docker engine, with the project's Dockerfile or a generated one.
    Docker {
        reason: BuilderReason,
        dockerfile: DockerfilePlan,
    },
    /// The local Go toolchain; Ferry assembles the image.
    Go { reason: BuilderReason, go: GoBuild },
}

impl BuilderPlan {
    pub fn kind(&self) -> Builder {
        match self {
            BuilderPlan::Docker { .. } => Builder::Docker,
            BuilderPlan::Go { .. } => Builder::Go,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BuilderReason {
    /// `[app] builder` names it.
    Configured,
    /// `builder = "auto"` and the local engine answers.
    EngineAnswers,
    /// `builder = "auto"`, no engine answers, and a Go toolchain is here.
    NoEngine,
}

/// The Go builder's build: `go` with `args`, then `-o OUT package`, in the build context with
/// `env` on top of this machine's; then the image Ferry assembles around the binary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoBuild {
    /// The `go` command.
    pub go: String,
    pub go_version: String,
    pub module: String,
    /// What `go build` builds: `.` or `./cmd/<name>`.
    pub main_package: String,
    pub goos: String,
    pub goarch: String,
    pub args: Vec<String>,
    pub env: BTreeMap<String, String>,
    /// The project's own Dockerfile, which this builder does not use.
    pub ignored_dockerfile: Option<String>,
    pub image: ImageSpec,
}

/// The image config of an image Ferry assembles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageSpec {
    pub user: String,
    pub entrypoint: Vec<String>,
    pub exposed_ports: Vec<u16>,
    pub env: BTreeMap<String, String>,
    pub labels: BTreeMap<String, String>,
}

/// Where the Go builder puts the binary in the image.
pub const GO_BINARY: &str = "/app";
/// The user the assembled image runs as (distroless's `nonroot`).
pub const NONROOT: &str = "65532:65532";

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
    /// The image's tag (in the local engine; on the server for the Go builder).
    pub tag: String,
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
    /// The Go builder's module; a Dockerfile the project has is not used.
    GoBuilder {
        module: GoModule,
        ignored_dockerfile: Option<String>,
    },
}

impl Sources {
    /// The Go module to build, and a Dockerfile the Go builder would leave unused.
    pub fn go_module(&self) -> Option<(&GoModule, Option<String>)> {
        match self {
            Sources::GoBuilder {
                module,
                ignored_dockerfile,
            } => Some((module, ignored_dockerfile.clone())),
            Sources::GoModule(module) => Some((module, None)),
            Sources::OwnDockerfile(_) => None,
        }
    }
}

/// Reads what the build of `builder` uses. Docker: `[app] dockerfile`, else the context's own
/// `Dockerfile`, else the Go module to generate one for. Go: the Go module.
pub fn read_sources(project: &Project, builder: Builder) -> Result<Sources, PlanError> {
    let app = &project.config.app;
    let context = project.context_dir();
    if builder == Builder::Go {
        let module = gomod::detect_with_main(&context, app.main.as_deref())?;
        let own = app
            .dockerfile
            .clone()
            .unwrap_or_else(|| "Dockerfile".to_string());
        return Ok(Sources::GoBuilder {
            module,
            ignored_dockerfile: context.join(&own).is_file().then_some(own),
        });
    }
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

/// The plan of a deploy of `project` as release `version`, to the server `server`, built with
/// this machine's `tools` (read with `sources`, see [`read_sources`] and [`choose_builder`]).
pub fn compute(
    project: &Project,
    sources: &Sources,
    server: &ServerInfo,
    tools: &Tools,
    version: &str,
    machine: &str,
) -> Result<Plan, PlanError> {
    let config = &project.config;
    let platform = platform_choice(project, server)?;
    let builder = builder_plan(project, sources, tools, platform.platform)?;
    let local_tag = format!("{}:{version}", config.app.name);
    // Only the generated Dockerfile takes `go env`'s module settings: a project's own may set
    // its own (`ARG GOPROXY=...`), which a build arg would override.
    let generated = matches!(
        builder,
        BuilderPlan::Docker {
            dockerfile: DockerfilePlan::Generated { .. },
            ..
        }
    );
    let go_env = tools.go.as_ref().filter(|_| generated);
    let build = build_plan(config, platform.platform, &local_tag, go_env);
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
        builder,
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

/// Which builder `wanted` means with these tools: Docker when asked for or when the engine
/// answers, Go when asked for or when only Go is here.
pub fn choose_builder(
    wanted: Builder,
    tools: &Tools,
    engine_error: Option<&str>,
) -> Result<(Builder, BuilderReason), PlanError> {
    match wanted {
        Builder::Docker => Ok((Builder::Docker, BuilderReason::Configured)),
        Builder::Go if tools.go.is_some() => Ok((Builder::Go, BuilderReason::Configured)),
        Builder::Go => Err(PlanError::NoGo),
        Builder::Auto if tools.engine.is_some() => {
            Ok((Builder::Docker, BuilderReason::EngineAnswers))
        }
        Builder::Auto if tools.go.is_some() => Ok((Builder::Go, BuilderReason::NoEngine)),
        Builder::Auto => Err(PlanError::NoBuilder {
            engine: engine_error.unwrap_or_default().to_string(),
        }),
    }
}

/// The builder's part of the plan.
fn builder_plan(
    project: &Project,
    sources: &Sources,
    tools: &Tools,
    platform: Platform,
) -> Result<BuilderPlan, PlanError> {
    let config = &project.config;
    let (kind, reason) = choose_builder(config.app.builder, tools, None)?;
    match (kind, &tools.go, &tools.engine) {
        (Builder::Go, Some(go), _) => {
            // Sources read for the Go builder always have the module (`read_sources`).
            let (module, ignored) =
                sources
                    .go_module()
                    .ok_or_else(|| gomod::GoModError::NoGoMod {
                        root: project.context_dir(),
                    })?;
            Ok(BuilderPlan::Go {
                reason,
                go: go_build(config, module, ignored, go, platform),
            })
        }
        (Builder::Go, None, _) => Err(PlanError::NoGo),
        (_, _, Some(engine)) => Ok(BuilderPlan::Docker {
            reason,
            dockerfile: dockerfile_plan(config, sources, engine)?,
        }),
        _ => Err(PlanError::NoBuilder {
            engine: String::new(),
        }),
    }
}

/// The Go builder's build of `module` for `platform`. `[app] build_args` named like Go's own
/// settings (`GO…`, `CGO_…`) go into the environment; the others set a string in package
/// main (`-ldflags -X main.NAME=VALUE`), as a Dockerfile's `ARG` usually ends up doing.
pub fn go_build(
    config: &Config,
    module: &GoModule,
    ignored_dockerfile: Option<String>,
    go: &GoToolchain,
    platform: Platform,
) -> GoBuild {
    let goarch = platform.arch().unwrap_or("amd64").to_string();
    let mut env = BTreeMap::new();
    let mut ldflags = vec!["-s".to_string(), "-w".to_string()];
    for (name, value) in &config.app.build_args {
        if name.starts_with("GO") || name.starts_with("CGO_") {
            env.insert(name.clone(), value.clone());
        } else {
            ldflags.push(format!("-X main.{name}={value}"));
        }
    }
    env.insert("CGO_ENABLED".to_string(), "0".to_string());
    env.insert("GOOS".to_string(), "linux".to_string());
    env.insert("GOARCH".to_string(), goarch.clone());
    let mut args = vec!["build".to_string()];
    if module.has_vendor {
        args.push("-mod=vendor".to_string());
    }
    args.extend(
        ["-trimpath", "-tags", "timetzdata", "-ldflags"]
            .iter()
            .map(|s| s.to_string()),
    );
    args.push(ldflags.join(" "));
    let spec = dockerfile_spec(config, module, false);
    GoBuild {
        go: go.path.clone(),
        go_version: go.version.clone(),
        module: module.module.clone(),
        main_package: dockerfile::package_arg(&spec.main_package),
        goos: "linux".to_string(),
        goarch,
        args,
        env,
        ignored_dockerfile,
        image: ImageSpec {
            user: NONROOT.to_string(),
            entrypoint: vec![GO_BINARY.to_string()],
            exposed_ports: spec.expose,
            env: BTreeMap::new(),
            labels: BTreeMap::from([("ferry.app".to_string(), config.app.name.to_string())]),
        },
    }
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
        Sources::GoModule(module) | Sources::GoBuilder { module, .. } => {
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

/// The build of `tag` for `platform`. The build args are `[app] build_args`, on top of the
/// Go module settings of `go` (`go env GOPROXY`, `GOPRIVATE`, `GONOSUMDB`), so a build of the
/// generated Dockerfile fetches modules the way `go` here does.
pub fn build_plan(
    config: &Config,
    platform: Platform,
    tag: &str,
    go: Option<&GoToolchain>,
) -> BuildPlan {
    let mut build_args: BTreeMap<String, String> = go
        .map(|g| g.env.build_args().into_iter().collect())
        .unwrap_or_default();
    build_args.extend(config.app.build_args.clone());
    BuildPlan {
        platform,
        tag: tag.to_string(),
        build_args,
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
