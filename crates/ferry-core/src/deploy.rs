//! `ferry deploy`: build the image, ship it, and switch the server to it behind the health gate.

use crate::catalog::Msg;
use crate::config::{Platform, Project};
use crate::connect::{self, blocking, until_cancelled, ConnectOptions, Connection};
use crate::context;
use crate::docker::{BuildRequest, BuiltImage, Engine, RegistryAuth};
use crate::dockerfile::{self, DockerfileSpec};
use crate::doctor;
use crate::events::{Events, Step};
use crate::gomod::{self, GoModule};
use crate::msg;
use crate::release::{self, Gate, Incoming};
use crate::remote::RunSpec;
use crate::secret::Secret;
use crate::secrets::{self, Keyring};
use crate::server::{Remote, ServerError, ServerInfo};
use crate::{CancellationToken, Error};
use serde::Serialize;
use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

/// Where the generated Dockerfile goes inside the build context.
pub const GENERATED_DOCKERFILE: &str = "Dockerfile.ferry";

#[derive(Debug, Clone, Default)]
pub struct DeployOptions {
    pub connect: ConnectOptions,
    /// Stops the deploy: at once with [`Error::Cancelled`] while it connects, builds, pushes
    /// or sends the image; during the release switch, the new release is abandoned and the
    /// previous one put back first.
    pub cancel: CancellationToken,
}

/// What a deploy put on the server.
#[derive(Debug, Clone, Serialize)]
pub struct Release {
    pub app: String,
    pub version: String,
    pub image: String,
    pub platform: String,
    pub previous: Option<String>,
    /// Where the app answers, when it publishes a port.
    pub url: Option<String>,
}

impl Release {
    /// One line for the end of a deploy.
    pub fn summary(&self) -> Msg {
        match &self.url {
            Some(url) => msg!(
                "deploy-live",
                app = &self.app,
                version = &self.version,
                url = url
            ),
            None => msg!("deploy-running", app = &self.app, version = &self.version),
        }
    }
}

/// An image on the server, ready to be started.
struct Shipped {
    link: Arc<crate::connect::Link>,
    server: ServerInfo,
    platform: Platform,
    version: String,
    image: String,
}

pub async fn deploy(
    project: &Project,
    opts: &DeployOptions,
    keyring: &Keyring,
    events: &Events,
) -> Result<Release, Error> {
    let config = &project.config;
    let registry_password = registry_password(project, keyring)?;
    let secret_env = secret_env(project, keyring)?;
    let Shipped {
        link,
        server,
        platform,
        version,
        image,
    } = until_cancelled(
        &opts.cancel,
        ship(project, opts, keyring, registry_password, events),
    )
    .await?;

    // From here on the server changes: a cancel puts the previous release back.
    let spec = RunSpec {
        secret_env,
        ..run_spec(project, &image, &version)
    };
    let gate = health_gate(project);
    let strategy = config.container.strategy;
    let timer = events.started(
        Step::Start,
        msg!(
            "step-start",
            version = &version,
            strategy = strategy.as_str()
        ),
    );
    let app = config.app.name.to_string();
    let docker = server.docker();
    let ev = events.clone();
    let cancel = opts.cancel.clone();
    let what = format!("deploy:{version}");
    let previous = blocking(move || -> Result<Option<String>, Error> {
        let lock = crate::lock::acquire(&*link, &app, &what, &ev)?;
        let switcher = release::Switcher::new(&*link, docker, &app, &ev, &cancel, &lock);
        let previous = switcher.switch(Incoming::New(spec), strategy, &gate)?;
        switcher.prune(None);
        Ok(previous)
    })
    .await?;
    events.finished_step(timer, msg!("step-start-done", version = &version));

    let release = Release {
        app: config.app.name.to_string(),
        url: url(project),
        version,
        image,
        platform: platform.as_str().to_string(),
        previous,
    };
    // What went live, as data: the app says it in the user's language.
    events.data(Step::Start, "release", &release);
    Ok(release)
}

/// Connects, builds, and puts the image on the server (pushed and pulled, or sent over SSH).
/// Nothing running on the server changes.
async fn ship(
    project: &Project,
    opts: &DeployOptions,
    keyring: &Keyring,
    registry_password: Option<Secret>,
    events: &Events,
) -> Result<Shipped, Error> {
    let config = &project.config;
    let Connection {
        session,
        server,
        link,
        ..
    } = connect::open_app(project, &opts.connect, keyring, events).await?;
    let platform = target_platform(project, &server)?;
    let version = new_version();

    let engine = Engine::connect().await?;
    doctor::preflight(project, session.clone(), &server, &engine, platform, events).await?;
    let local_tag = format!("{}:{}", config.app.name, version);
    let built = build(project, &engine, platform, &local_tag, events).await?;

    let image = match (&config.registry, registry_password) {
        (Some(registry), Some(password)) => {
            let auth = RegistryAuth {
                server: registry.server.clone(),
                username: registry.username.clone(),
                password,
            };
            let timer = events.started(
                Step::Push,
                msg!(
                    "step-push",
                    image = format!("{}:{version}", registry.image())
                ),
            );
            engine.tag(&local_tag, &registry.image(), &version).await?;
            engine
                .push(&registry.image(), &version, &auth, events)
                .await?;
            events.finished_step(timer, msg!("step-push-done"));
            let image = format!("{}:{version}", registry.image());
            let s = session.clone();
            let img = image.clone();
            let ev = events.clone();
            let srv = server.clone();
            blocking(move || pull(&*s, &srv, &auth, &img, &ev)).await?;
            image
        }
        _ => {
            let image = LocalImageRef {
                tag: &local_tag,
                size: built.size,
            };
            transfer(&engine, &session, &server, image, &opts.cancel, events).await?;
            local_tag.clone()
        }
    };
    Ok(Shipped {
        link,
        server,
        platform,
        version,
        image,
    })
}

/// An image built in the local engine.
#[derive(Debug, Clone, Serialize)]
pub struct LocalImage {
    pub tag: String,
    pub id: String,
    pub os: String,
    pub architecture: String,
    pub size: u64,
}

/// `ferry build`: builds the image locally, for `platform`, else the configured platform,
/// else this engine's own.
pub async fn build_only(
    project: &Project,
    platform: Option<Platform>,
    events: &Events,
) -> Result<LocalImage, Error> {
    let engine = Engine::connect().await?;
    let platform = match platform.unwrap_or(project.config.app.platform) {
        Platform::Auto => {
            let native = engine.info().await?.arch;
            Platform::from_uname(&native).ok_or(crate::server::ServerError::UnknownArch(native))?
        }
        p => p,
    };
    let tag = format!("{}:{}", project.config.app.name, new_version());
    let built = build(project, &engine, platform, &tag, events).await?;
    Ok(LocalImage {
        tag,
        id: built.id,
        os: built.os,
        architecture: built.architecture,
        size: built.size,
    })
}

/// The registry password, required when the project pushes through a registry.
fn registry_password(project: &Project, keyring: &Keyring) -> Result<Option<Secret>, Error> {
    let Some(registry) = &project.config.registry else {
        return Ok(None);
    };
    let entry = secrets::registry_entry(registry);
    match keyring.resolve(secrets::ENV_REGISTRY_PASSWORD, &entry)? {
        Some(p) => Ok(Some(p)),
        None => Err(Error::MissingRegistryPassword {
            server: registry.server.clone(),
            user: registry.username.clone(),
            entry,
        }),
    }
}

/// The values of `[container] secret_env`, from `FERRY_SECRET_<NAME>` or the keyring entry
/// `env/<app>/<NAME>`; a missing one stops the deploy before anything is built.
fn secret_env(project: &Project, keyring: &Keyring) -> Result<Vec<(String, Secret)>, Error> {
    let app = project.config.app.name.as_str();
    let mut values = Vec::new();
    for name in &project.config.container.secret_env {
        let entry = secrets::env_entry(app, name);
        match keyring.resolve(&secrets::env_override(name), &entry)? {
            Some(value) => values.push((name.clone(), value)),
            None => {
                return Err(Error::MissingSecretEnv {
                    name: name.clone(),
                    entry,
                })
            }
        }
    }
    Ok(values)
}

/// The platform to build for: the configured one, or the server's. A configured platform the
/// server cannot run stops the deploy before anything is built.
pub fn target_platform(project: &Project, server: &ServerInfo) -> Result<Platform, Error> {
    let wanted = project.config.app.platform;
    let server_platform = server
        .platform
        .ok_or_else(|| crate::server::ServerError::UnknownArch(server.machine.clone()))?;
    if wanted == Platform::Auto || wanted == server_platform {
        Ok(server_platform)
    } else {
        Err(Error::PlatformMismatch {
            wanted: wanted.to_string(),
            host: project.config.server.host.clone(),
            machine: server.machine.clone(),
            server_platform: server_platform.to_string(),
        })
    }
}

/// A release version: the UTC time of the deploy, sortable.
pub fn new_version() -> String {
    chrono::Utc::now().format("%Y%m%d-%H%M%S").to_string()
}

async fn build(
    project: &Project,
    engine: &Engine,
    platform: Platform,
    tag: &str,
    events: &Events,
) -> Result<BuiltImage, Error> {
    let config = &project.config;
    let info = engine.info().await?;
    if info.os_type == "windows" {
        return Err(Error::WindowsContainers);
    }
    let timer = events.started(
        Step::Build,
        msg!(
            "step-build",
            tag = tag,
            platform = platform.as_str(),
            docker = &info.version
        ),
    );
    let context_dir = project.context_dir();
    let (dockerfile, extra) =
        dockerfile_for(project, &context_dir, info.buildkit_available, events)?;
    let packed = {
        let dir = context_dir.clone();
        let df = dockerfile.clone();
        let ev = events.clone();
        blocking(move || context::pack(&dir, &[df.as_str()], &extra, &ev)).await?
    };
    events.log(
        Step::Build,
        format!(
            "build context: {} files, {}",
            packed.files,
            human_bytes(packed.bytes)
        ),
    );
    let request = BuildRequest {
        context_tar: packed.tar,
        dockerfile,
        platform: platform.as_str().to_string(),
        tag: tag.to_string(),
        build_args: config
            .app
            .build_args
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        labels: vec![("ferry.app".to_string(), config.app.name.to_string())],
    };
    let built = engine.build(request, events).await?;
    events.data(
        Step::Build,
        "image",
        &serde_json::json!({
            "tag": tag,
            "id": built.id,
            "os": built.os,
            "architecture": built.architecture,
            "size": built.size,
        }),
    );
    events.finished_step(
        timer,
        msg!(
            "step-build-done",
            tag = tag,
            platform = format!("{}/{}", built.os, built.architecture),
            size = human_bytes(built.size)
        ),
    );
    Ok(built)
}

/// A file added to the build context: its path there and its bytes.
type ExtraFile = (String, Vec<u8>);

/// The Dockerfile to build with: the configured one, the project's own `Dockerfile`, or one
/// generated for the Go module (added to the context as an extra file).
fn dockerfile_for(
    project: &Project,
    context_dir: &std::path::Path,
    buildkit: bool,
    events: &Events,
) -> Result<(String, Vec<ExtraFile>), Error> {
    let app = &project.config.app;
    if let Some(df) = &app.dockerfile {
        if !context_dir.join(df).is_file() {
            return Err(Error::MissingDockerfile(df.clone()));
        }
        return Ok((df.clone(), Vec::new()));
    }
    if context_dir.join("Dockerfile").is_file() {
        return Ok(("Dockerfile".to_string(), Vec::new()));
    }
    let module = gomod::detect_with_main(context_dir, app.main.as_deref())?;
    let spec = dockerfile_spec(&project.config, &module, buildkit);
    events.info(
        Step::Build,
        msg!(
            "step-build-generated-dockerfile",
            module = &module.module,
            builder = &spec.builder_image,
            runtime = &spec.runtime_image
        ),
    );
    let text = dockerfile::generate(&spec);
    Ok((
        GENERATED_DOCKERFILE.to_string(),
        vec![(GENERATED_DOCKERFILE.to_string(), text.into_bytes())],
    ))
}

/// The Dockerfile Ferry generates for `module` with `config`'s images and ports.
pub fn dockerfile_spec(
    config: &crate::config::Config,
    module: &GoModule,
    build_cache: bool,
) -> DockerfileSpec {
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

/// Logs the server in to the registry with a private, in-memory client config, pulls, and
/// removes the config again whatever happened (all in one script on the server).
fn pull(
    remote: &dyn Remote,
    server: &ServerInfo,
    auth: &RegistryAuth,
    image: &str,
    events: &Events,
) -> Result<(), Error> {
    let timer = events.started(Step::Pull, msg!("step-pull", image = image));
    let cmd = crate::remote::registry::login_and_pull(
        server.docker(),
        &auth.server,
        &auth.username,
        auth.password.clone(),
        image,
    );
    let out = remote.run(&cmd)?;
    let stderr = out.stderr.trim().to_string();
    match out.status {
        0 => {}
        crate::remote::registry::LOGIN_FAILED => {
            return Err(ServerError::RegistryLogin {
                registry: auth.server.clone(),
                user: auth.username.clone(),
                stderr,
            }
            .into())
        }
        crate::remote::registry::PULL_FAILED => {
            return Err(ServerError::Pull {
                image: image.to_string(),
                stderr,
            }
            .into())
        }
        status => {
            return Err(ServerError::Command {
                command: cmd.shell(),
                status,
                stderr,
            }
            .into())
        }
    }
    events.finished_step(timer, msg!("step-pull-done"));
    Ok(())
}

/// A local image to send.
struct LocalImageRef<'a> {
    tag: &'a str,
    size: u64,
}

/// Streams the image from the local engine over SSH into the server's `docker load`. A cancel
/// ends the stream, so `docker load` gets a truncated archive and loads nothing.
async fn transfer(
    engine: &Engine,
    session: &Arc<crate::ssh::Session>,
    server: &ServerInfo,
    image: LocalImageRef<'_>,
    cancel: &CancellationToken,
    events: &Events,
) -> Result<(), Error> {
    use futures_util::StreamExt;
    let LocalImageRef { tag: image, size } = image;
    let timer = events.started(
        Step::Transfer,
        msg!("step-transfer", image = image, size = human_bytes(size)),
    );
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<bytes::Bytes, String>>(16);
    let mut stream = engine.export(image);
    // Aborted however this function ends, also when its future is dropped by a cancel.
    let _pump = AbortOnDrop(tokio::spawn(async move {
        while let Some(chunk) = stream.next().await {
            let stop = chunk.is_err();
            if tx.send(chunk.map_err(|e| e.to_string())).is_err() || stop {
                break;
            }
        }
    }));
    let s = session.clone();
    let load = server.docker().load();
    let ev = events.clone();
    let cancel = cancel.clone();
    let out = blocking(move || {
        let mut reader = ChannelReader {
            rx,
            chunk: bytes::Bytes::new(),
            cancel,
        };
        // `size` is the engine's image size; the `docker save` archive is a little larger.
        s.run_with_input(&load, &mut reader, &mut |sent| {
            ev.progress(Step::Transfer, sent, Some(size.max(sent)))
        })
    })
    .await;
    let out = out?;
    if out.status != 0 {
        return Err(ServerError::Load {
            stderr: out.stderr.trim().to_string(),
        }
        .into());
    }
    events.finished_step(timer, msg!("step-transfer-done", image = image));
    Ok(())
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Reads the export stream's chunks from a channel, for the blocking SSH writer. Fails once
/// the deploy is cancelled, which stops the writer.
struct ChannelReader {
    rx: std::sync::mpsc::Receiver<Result<bytes::Bytes, String>>,
    chunk: bytes::Bytes,
    cancel: CancellationToken,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let cancelled = || std::io::Error::other("the deploy was cancelled");
        if self.cancel.is_cancelled() {
            return Err(cancelled());
        }
        while self.chunk.is_empty() {
            match self.rx.recv() {
                Ok(Ok(chunk)) => self.chunk = chunk,
                Ok(Err(e)) => return Err(std::io::Error::other(e)),
                Err(_) if self.cancel.is_cancelled() => return Err(cancelled()),
                Err(_) => return Ok(0),
            }
        }
        let n = buf.len().min(self.chunk.len());
        buf[..n].copy_from_slice(&self.chunk.split_to(n));
        Ok(n)
    }
}

/// `docker run` for a release of this project.
pub fn run_spec(project: &Project, image: &str, version: &str) -> RunSpec {
    let c = &project.config;
    RunSpec {
        name: c.app.name.to_string(),
        image: image.to_string(),
        labels: vec![
            ("ferry.app".to_string(), c.app.name.to_string()),
            ("ferry.version".to_string(), version.to_string()),
        ],
        ports: c.container.ports.iter().map(|p| p.to_string()).collect(),
        env: c
            .container
            .env
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        volumes: c.container.volumes.iter().map(|v| v.to_string()).collect(),
        restart: Some(c.container.restart.as_str().to_string()),
        memory: c.container.memory.as_ref().map(|m| m.to_string()),
        secret_env: Vec::new(),
    }
}

pub fn health_gate(project: &Project) -> Gate {
    let c = &project.config;
    let timeout = Duration::from_secs(c.health.as_ref().map_or(30, |h| h.timeout_secs));
    let mut gate = Gate::new(
        c.health.as_ref().and_then(|h| h.path.clone()),
        c.health_port(),
        timeout,
    );
    // The published mapping behind the health port: where it is published, and the
    // container's own port (what a candidate without published ports is checked on).
    if let Some(mapping) = gate.port.and_then(|port| {
        c.container
            .ports
            .iter()
            .map(|p| p.parts())
            .find(|p| p.host == port)
    }) {
        gate.host_ip = mapping.host_ip;
        gate.container_port = Some(mapping.container);
    }
    gate
}

/// Where the app answers: its first published port on the server.
fn url(project: &Project) -> Option<String> {
    let c = &project.config;
    let port = c.container.ports.first()?.parts();
    let host = port.host_ip.unwrap_or_else(|| c.server.host.clone());
    Some(format!("http://{host}:{}/", port.host))
}

pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use std::path::PathBuf;

    fn project(text: &str) -> Project {
        Project {
            path: PathBuf::from("/p/ferry.toml"),
            config: Config::parse(text, std::path::Path::new("ferry.toml")).unwrap(),
        }
    }

    const BASE: &str = "[app]\nname='hello'\n[server]\nhost='10.0.0.2'\nuser='d'\n\
        [container]\nports=['18080:8080']\nenv={GREETING='hi there'}\nmemory='64m'\n\
        [health]\npath='/healthz'\n";

    #[test]
    fn run_spec_carries_the_config() {
        let spec = run_spec(&project(BASE), "hello:1", "1");
        assert_eq!(
            crate::remote::DockerCli::default().run(&spec).shell(),
            "docker run --detach --name hello --label ferry.app=hello --label ferry.version=1 \
             --restart unless-stopped --memory 64m --publish 18080:8080 \
             --env 'GREETING=hi there' hello:1"
        );
    }

    #[test]
    fn the_health_gate_uses_the_published_port() {
        let gate = health_gate(&project(BASE));
        assert_eq!(gate.port, Some(18080));
        assert_eq!(gate.path.as_deref(), Some("/healthz"));
        assert_eq!(gate.timeout, Duration::from_secs(30));
        assert_eq!(
            url(&project(BASE)).as_deref(),
            Some("http://10.0.0.2:18080/")
        );
    }

    #[test]
    fn auto_takes_the_servers_platform_and_a_mismatch_stops() {
        assert_eq!(
            target_platform(&project(BASE), &ServerInfo::centos7("aarch64")).unwrap(),
            Platform::Arm64
        );
        let pinned = BASE.replace("name='hello'", "name='hello'\nplatform='linux/arm64'");
        let err = target_platform(&project(&pinned), &ServerInfo::centos7("x86_64")).unwrap_err();
        assert!(err.to_string().contains("exec format error"), "{err}");
    }

    #[test]
    fn versions_sort_by_time() {
        let v = new_version();
        assert_eq!(v.len(), 15);
        assert!(v.chars().all(|c| c.is_ascii_digit() || c == '-'));
    }

    #[test]
    fn the_image_stream_ends_with_its_sender_and_fails_once_cancelled() {
        let reader = |cancel: &CancellationToken| {
            let (tx, rx) = std::sync::mpsc::sync_channel(4);
            tx.send(Ok(bytes::Bytes::from_static(b"abc"))).unwrap();
            drop(tx);
            ChannelReader {
                rx,
                chunk: bytes::Bytes::new(),
                cancel: cancel.clone(),
            }
        };
        let mut buf = [0u8; 8];
        let running = CancellationToken::new();
        let mut r = reader(&running);
        assert_eq!(r.read(&mut buf).unwrap(), 3);
        assert_eq!(r.read(&mut buf).unwrap(), 0, "the end of the image");

        let cancelled = CancellationToken::new();
        let mut r = reader(&cancelled);
        cancelled.cancel();
        let err = r.read(&mut buf).unwrap_err();
        assert!(err.to_string().contains("cancelled"), "{err}");
    }

    #[test]
    fn bytes_are_human() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(3 << 20), "3.0 MB");
    }
}
