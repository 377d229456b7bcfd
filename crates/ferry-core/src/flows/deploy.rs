//! `ferry deploy`: build the image, ship it, and switch the server to it behind the health gate.

use crate::adapters::docker::{BuildRequest, BuiltImage, Engine, RegistryAuth};
use crate::adapters::secret::Secret;
use crate::adapters::secrets::{self, Keyring};
use crate::adapters::server::{Remote, ServerError, ServerInfo};
use crate::catalog::{human_bytes, Msg};
use crate::doctor;
use crate::events::{Events, Step};
use crate::flows::connect::{self, blocking, until_cancelled, ConnectOptions, Connection};
use crate::flows::gobuild;
use crate::flows::release::{self, Incoming};
use crate::flows::ship;
use crate::formats::config::{Builder, Platform, Project};
use crate::formats::context;
use crate::formats::oci_image::Assembled;
use crate::msg;
use crate::plan::{self, BuildPlan, BuilderPlan, DockerfilePlan, Plan, Tools, Transport};
use crate::{CancellationToken, Error};
use serde::Serialize;
use std::sync::Arc;

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
    link: Arc<crate::flows::connect::Link>,
    server: ServerInfo,
    plan: Plan,
}

pub async fn deploy(
    project: &Project,
    opts: &DeployOptions,
    keyring: &Keyring,
    events: &Events,
) -> Result<Release, Error> {
    let registry_password = registry_password(project, keyring)?;
    let secret_env = secret_env(project, keyring)?;
    let Shipped { link, server, plan } = until_cancelled(
        &opts.cancel,
        ship(project, opts, keyring, registry_password, events),
    )
    .await?;

    // From here on the server changes: a cancel puts the previous release back.
    let spec = plan.container.run_spec(secret_env);
    let gate = plan.health.gate();
    let strategy = plan.container.strategy;
    let keep = plan.container.keep_releases;
    let version = plan.version.clone();
    let timer = events.started(
        Step::Start,
        msg!(
            "step-start",
            version = &version,
            strategy = strategy.as_str()
        ),
    );
    let app = plan.app.clone();
    let docker = server.docker();
    let ev = events.clone();
    let cancel = opts.cancel.clone();
    let what = format!("deploy:{version}");
    let previous = blocking(move || -> Result<Option<String>, Error> {
        let lock = crate::flows::lock::acquire(&*link, &app, &what, &ev)?;
        let switcher = release::Switcher::new(&*link, docker, &app, &ev, &cancel, &lock);
        let previous = switcher.switch(Incoming::New(spec), strategy, &gate)?;
        let spare = previous.as_deref().map(|v| release::kept_name(&app, v));
        switcher.prune(&release::Retain {
            keep,
            discard: None,
            spare: spare.as_deref(),
        });
        Ok(previous)
    })
    .await?;
    events.finished_step(timer, msg!("step-start-done", version = &version));

    let release = Release {
        app: plan.app,
        url: plan.url,
        version,
        image: plan.container.image,
        platform: plan.platform.platform.as_str().to_string(),
        previous,
    };
    // What went live, as data: the app says it in the user's language.
    events.data(Step::Start, "release", &release);
    Ok(release)
}

/// `ferry deploy --plan`: connects, probes the server and asks the local engine, and returns
/// the plan a deploy would execute now. Builds nothing and changes nothing on the server (not
/// even a switch an earlier Ferry left midway: that is for the next deploy to finish).
pub async fn plan_only(
    project: &Project,
    opts: &ConnectOptions,
    keyring: &Keyring,
    events: &Events,
) -> Result<Plan, Error> {
    let Connection { server, .. } = connect::open(project, opts, keyring, events).await?;
    let (tools, _engine) = gobuild::local_tools(project.config.app.builder).await?;
    let plan = make_plan(project, &server, &tools).await?;
    events.data(Step::Check, "plan", &plan);
    Ok(plan)
}

/// The plan of a deploy to `server` now, from the project's files and this machine's tools.
async fn make_plan(project: &Project, server: &ServerInfo, tools: &Tools) -> Result<Plan, Error> {
    let (builder, _) = plan::choose_builder(project.config.app.builder, tools, None)?;
    let p = project.clone();
    let sources = blocking(move || plan::read_sources(&p, builder).map_err(Error::from)).await?;
    Ok(plan::compute(
        project,
        &sources,
        server,
        tools,
        &new_version(),
        &machine_name(),
    )?)
}

/// A built image: in the local engine (the one that built it), or assembled by Ferry.
enum Built<'a> {
    Engine(BuiltImage, &'a Engine),
    Assembled(Assembled),
}

impl Built<'_> {
    fn size(&self) -> u64 {
        match self {
            Built::Engine(b, _) => b.size,
            Built::Assembled(a) => a.archive.size(),
        }
    }
}

/// Builds the plan's image with its builder.
async fn build_image<'a>(
    project: &Project,
    engine: Option<&'a Engine>,
    plan: &Plan,
    events: &Events,
) -> Result<Built<'a>, Error> {
    match (&plan.builder, engine) {
        (BuilderPlan::Docker { dockerfile, .. }, Some(engine)) => Ok(Built::Engine(
            build(project, engine, &plan.build, dockerfile, events).await?,
            engine,
        )),
        (BuilderPlan::Go { go, .. }, _) => Ok(Built::Assembled(
            gobuild::build(project, go, &plan.build.tag, events).await?,
        )),
        (BuilderPlan::Docker { .. }, None) => Err(Error::Internal(
            "a Docker build was planned without an engine".to_string(),
        )),
    }
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
    let (tools, engine) = gobuild::local_tools(config.app.builder).await?;
    let engine = engine.as_ref();
    let plan = make_plan(project, &server, &tools).await?;
    let platform = plan.platform.platform;

    // The build runs while the server is checked and asked what it holds. Its events wait
    // until the checks pass, and are dropped with the build when they fail: so what a user
    // sees is the checks, then the build, and a failed check still means nothing was built.
    let (build_events, hold) = events.held();
    let build = build_image(project, engine, &plan, &build_events);
    let server_side = async {
        let checked = doctor::preflight(
            project,
            session.clone(),
            &server,
            doctor::Building {
                builder: plan.builder.kind(),
                engine,
                go: tools.go.as_ref(),
            },
            platform,
            events,
        )
        .await;
        match checked {
            Ok(_) => hold.release(),
            Err(e) => {
                hold.discard();
                return Err(e);
            }
        }
        match plan.transport {
            Transport::Ssh { .. } => Ok(Some(
                ship::prepare(engine, &session, &server, &plan.app).await?,
            )),
            Transport::Registry { .. } => Ok(None),
        }
    };
    let (built, prepared) = side_by_side(build, server_side).await?;

    match (&config.registry, registry_password, &plan.transport) {
        (Some(registry), Some(password), Transport::Registry { image }) => {
            let auth = RegistryAuth {
                server: registry.server.clone(),
                username: registry.username.clone(),
                password,
            };
            let timer = events.started(Step::Push, msg!("step-push", image = image));
            let version = &plan.version;
            let pushed = match &built {
                Built::Engine(_, engine) => {
                    engine
                        .tag(&plan.build.tag, &registry.image(), version)
                        .await?;
                    engine
                        .push(&registry.image(), version, &auth, events)
                        .await?
                }
                Built::Assembled(assembled) => {
                    let a = assembled_oci(assembled).await?;
                    crate::adapters::registry::push::push(&auth, image, &a, &opts.cancel, events)
                        .await?
                }
            };
            let report = ship::registry_report(&pushed, built.size());
            events.data(Step::Push, "transfer", &report);
            events.finished_step(timer, msg!("step-push-done", what = ship::summary(&report)));
            let s = session.clone();
            let img = image.clone();
            let ev = events.clone();
            let srv = server.clone();
            blocking(move || pull(&*s, &srv, &auth, &img, &ev)).await?;
        }
        _ => {
            let size = built.size();
            let target = ship::Target {
                app: &plan.app,
                tag: &plan.build.tag,
                size,
            };
            let prepared = match prepared {
                Some(p) => p,
                None => ship::prepare(engine, &session, &server, &plan.app).await?,
            };
            let source = match built {
                Built::Assembled(a) => ship::Source::Assembled(a.archive),
                Built::Engine(_, engine) => ship::Source::Engine(engine),
            };
            ship::send(
                source,
                &session,
                &server,
                target,
                prepared,
                &opts.cancel,
                events,
            )
            .await?;
        }
    }
    Ok(Shipped { link, server, plan })
}

/// Runs the build and the server side together. The server side's failure wins (the build is
/// dropped); otherwise the build's.
async fn side_by_side<B, S>(
    build: impl std::future::Future<Output = Result<B, Error>>,
    server_side: impl std::future::Future<Output = Result<S, Error>>,
) -> Result<(B, S), Error> {
    tokio::pin!(build);
    tokio::pin!(server_side);
    let mut built = None;
    let server = loop {
        tokio::select! {
            s = &mut server_side => break s?,
            b = &mut build, if built.is_none() => built = Some(b),
        }
    };
    let built = match built {
        Some(b) => b?,
        None => build.await?,
    };
    Ok((built, server))
}

/// The OCI form of an assembled image (gzip'd layers in Ferry's blob store).
async fn assembled_oci(
    assembled: &Assembled,
) -> Result<crate::formats::oci_image::OciImage, Error> {
    let (a, dir) = (assembled.clone(), gobuild::store("blobs"));
    Ok(blocking(move || a.oci(&dir)).await?)
}

/// An image `ferry build` made: in the local engine, or (the Go builder) an OCI archive.
#[derive(Debug, Clone, Serialize)]
pub struct LocalImage {
    pub tag: String,
    pub id: String,
    pub os: String,
    pub architecture: String,
    pub size: u64,
    /// `docker` or `go`.
    pub builder: &'static str,
    /// Where the image archive was written (the Go builder; or `-o` with Docker).
    pub archive: Option<String>,
    /// The OCI manifest's digest (the Go builder): the same source gives the same digest.
    pub digest: Option<String>,
}

/// `ferry build`: builds the image locally, for `platform`, else the configured platform,
/// else this machine's own. With the Go builder (or `output`), the image is written to an
/// archive: `output`, else `<app>-<version>-linux-<arch>.tar` beside ferry.toml.
pub async fn build_only(
    project: &Project,
    platform: Option<Platform>,
    output: Option<std::path::PathBuf>,
    events: &Events,
) -> Result<LocalImage, Error> {
    let (tools, engine) = gobuild::local_tools(project.config.app.builder).await?;
    let (builder, _) = plan::choose_builder(project.config.app.builder, &tools, None)?;
    let native = match &tools.engine {
        Some(info) => info.arch.clone(),
        None => std::env::consts::ARCH.to_string(),
    };
    let platform = match platform.unwrap_or(project.config.app.platform) {
        Platform::Auto => Platform::from_uname(&native)
            .ok_or_else(|| crate::adapters::server::ServerError::UnknownArch(native.clone()))?,
        p => p,
    };
    let p = project.clone();
    let sources = blocking(move || plan::read_sources(&p, builder)).await?;
    let version = new_version();
    let tag = format!("{}:{version}", project.config.app.name);
    let generated = matches!(sources, plan::Sources::GoModule(_));
    let go_env = tools.go.as_ref().filter(|_| generated);
    let request = plan::build_plan(&project.config, platform, &tag, go_env);
    match (builder, sources.go_module(), &tools.go, engine) {
        (Builder::Go, Some((module, ignored)), Some(go), _) => {
            let go = plan::go_build(&project.config, module, ignored, go, platform);
            let assembled = gobuild::build(project, &go, &tag, events).await?;
            let oci = assembled_oci(&assembled).await?;
            let path = output.unwrap_or_else(|| {
                project.root().join(format!(
                    "{}-{version}-linux-{}.tar",
                    project.config.app.name, go.goarch
                ))
            });
            let (o, t, p) = (oci.clone(), tag.clone(), path.clone());
            blocking(move || -> Result<(), Error> {
                let file = std::fs::File::create(&p)
                    .map_err(crate::formats::image_archive::ArchiveError::from)?;
                crate::formats::oci_image::write_oci_archive(
                    &o,
                    &t,
                    std::io::BufWriter::new(file),
                )?;
                Ok(())
            })
            .await?;
            events.say(
                Step::Build,
                msg!(
                    "log-oci-archive",
                    path = path.display().to_string(),
                    digest = &oci.manifest_digest
                ),
            );
            let image = LocalImage {
                tag,
                id: oci.config_digest.clone(),
                os: "linux".to_string(),
                architecture: go.goarch,
                size: oci.size(),
                builder: "go",
                archive: Some(path.display().to_string()),
                digest: Some(oci.manifest_digest),
            };
            events.data(Step::Build, "local_image", &image);
            Ok(image)
        }
        (_, _, _, Some(engine)) => {
            let info = engine.info().await?;
            let dockerfile = plan::dockerfile_plan(&project.config, &sources, &info)?;
            let built = build(project, &engine, &request, &dockerfile, events).await?;
            let archive = match output {
                Some(path) => {
                    ship::save(&engine, &tag, &path).await?;
                    Some(path.display().to_string())
                }
                None => None,
            };
            let image = LocalImage {
                tag,
                id: built.id,
                os: built.os,
                architecture: built.architecture,
                size: built.size,
                builder: "docker",
                archive,
                digest: None,
            };
            events.data(Step::Build, "local_image", &image);
            Ok(image)
        }
        _ => Err(plan::PlanError::NoGo.into()),
    }
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

/// A release version: the UTC time of the deploy, sortable.
pub fn new_version() -> String {
    chrono::Utc::now().format("%Y%m%d-%H%M%S").to_string()
}

/// This computer's name, for the release's `ferry.deployed-by` label (`ferry releases`).
pub fn machine_name() -> String {
    let name = gethostname::gethostname()
        .to_string_lossy()
        .trim()
        .to_string();
    if name.is_empty() {
        "unknown".to_string()
    } else {
        name
    }
}

async fn build(
    project: &Project,
    engine: &Engine,
    request: &BuildPlan,
    dockerfile: &DockerfilePlan,
    events: &Events,
) -> Result<BuiltImage, Error> {
    let info = engine.info().await?;
    let tag = request.tag.as_str();
    let timer = events.started(
        Step::Build,
        msg!(
            "step-build",
            tag = tag,
            platform = request.platform.as_str(),
            docker = &info.version
        ),
    );
    if let DockerfilePlan::Generated {
        module,
        builder_image,
        runtime_image,
        ..
    } = dockerfile
    {
        events.info(
            Step::Build,
            msg!(
                "step-build-generated-dockerfile",
                module = module,
                builder = builder_image,
                runtime = runtime_image
            ),
        );
    }
    let context_dir = project.context_dir();
    let packed = {
        let dir = context_dir.clone();
        let df = dockerfile.path().to_string();
        let extra = dockerfile.extra_files();
        let ev = events.clone();
        blocking(move || context::pack(&dir, &[df.as_str()], &extra, &ev)).await?
    };
    events.say(
        Step::Build,
        msg!(
            "log-build-context",
            files = packed.files,
            size = human_bytes(packed.bytes)
        ),
    );
    let pairs = |m: &std::collections::BTreeMap<String, String>| -> Vec<(String, String)> {
        m.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    };
    let built = engine
        .build(
            BuildRequest {
                context_tar: packed.tar,
                dockerfile: dockerfile.path().to_string(),
                platform: request.platform.as_str().to_string(),
                tag: tag.to_string(),
                build_args: pairs(&request.build_args),
                labels: pairs(&request.labels),
            },
            events,
        )
        .await?;
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
    let cmd = crate::adapters::remote::registry::login_and_pull(
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
        crate::adapters::remote::registry::LOGIN_FAILED => {
            return Err(ServerError::RegistryLogin {
                registry: auth.server.clone(),
                user: auth.username.clone(),
                stderr,
            }
            .into())
        }
        crate::adapters::remote::registry::PULL_FAILED => {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_sort_by_time() {
        let v = new_version();
        assert_eq!(v.len(), 15);
        assert!(v.chars().all(|c| c.is_ascii_digit() || c == '-'));
    }
}
